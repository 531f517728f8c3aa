"""API shapes of a survey's progress and results."""

from decimal import Decimal

from ninja import Field, Schema

from linli.core.schemas import In, Line


class DataQuery(In):
    table: Line | None = Field(
        None, max_length=40, description="表格项目的代码（如 P）：每行一条记录；不填为每表一条记录"
    )


class StateRowOut(Schema):
    label: str
    counts: dict[str, int] = Field(
        description="各入户状态的户（单位）数：not_visited 未访、visited 已访、refused 拒访、empty 空户、done 完成"
    )
    total: int
    rate: Decimal | None = Field(None, description="应答率：完成数/总数（比例，四位小数，四舍五入）")


class SexRowOut(Schema):
    label: str
    male: int
    female: int
    total: int
    bands: dict[str, int] = Field(default_factory=dict)


class IndustryOut(Schema):
    code: str
    label: str
    enterprises: int
    workers: int
    exposed: int
    cases: int
    exposed_share: Decimal | None


class ResultsOut(Schema):
    survey_id: int
    kind: str
    by_area: list[StateRowOut]
    by_enumerator: list[StateRowOut]
    total: StateRowOut
    days: dict
    population_by_area: list[SexRowOut] | None = None
    population_by_broad_band: list[SexRowOut] | None = None
    population_by_five_year_band: list[SexRowOut] | None = None
    hazards_by_industry: list[IndustryOut] | None = None
    data_roles: list[str]
