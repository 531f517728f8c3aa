from datetime import date

from ninja import Field

from linli.core.schemas import Id, In, PageNumber, Schema, Year

from .selectors import MAX_PAGE, QUERY_MAX


class ArchiveSearchIn(In):
    q: str = Field(..., max_length=QUERY_MAX, description="检索词：中文按词检索，多个词须同时出现")
    box: Id | None = Field(None, description="只检索这一档案盒")
    category: Id | None = Field(None, description="只检索这一类别")
    year: Year | None = Field(None, description="只检索这一年度的档案盒")
    region: Id | None = Field(None, description="只检索关于这一区域（及其下级）的条目")
    page: PageNumber = Field(1, description=f"页码，每页20条；超过{MAX_PAGE}页时给出第{MAX_PAGE}页")


class HitOut(Schema):
    id: int
    title: str
    title_html: str = Field(description="标题，检索词以<mark>标出（已转义）")
    snippet_html: str = Field(description="正文或文件中检索词所在的片段，检索词以<mark>标出（已转义）")
    rank: float
    box_id: int
    box: str
    box_region: str
    category: str
    region: str
    date: date
    tags: list[str]
    file_name: str
    index_state: str


class SearchOut(Schema):
    query: str
    terms: list[str] = Field(description="检索词切分后的词")
    page: int
    has_next: bool
    items: list[HitOut]
