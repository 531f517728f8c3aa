"""API shapes of a survey's progress and results."""

from decimal import Decimal

from ninja import Field

from linli.core.schemas import In, Line, Schema


class SurveyDataQuery(In):
    table: Line | None = Field(
        None, max_length=40, description="表格项目的代码（如 P）：每行一条记录；不填为每表一条记录"
    )


class SurveyStateRowOut(Schema):
    label: str
    counts: dict[str, int] = Field(
        description="各入户状态的户（单位）数：not_visited 未访、visited 已访、refused 拒访、empty 空户、done 完成"
    )
    total: int
    rate: Decimal | None = Field(None, description="应答率：完成数/总数（比例，四位小数，四舍五入）")


class SurveySexRowOut(Schema):
    label: str
    male: int
    female: int
    total: int
    bands: dict[str, int] = Field(default_factory=dict)


class SurveyIndustryOut(Schema):
    code: str
    label: str
    enterprises: int
    workers: int
    exposed: int
    cases: int
    exposed_share: Decimal | None


class SurveyResultsOut(Schema):
    survey_id: int
    kind: str
    by_area: list[SurveyStateRowOut]
    by_enumerator: list[SurveyStateRowOut]
    total: SurveyStateRowOut
    days: dict
    population_by_area: list[SurveySexRowOut] | None = None
    population_by_broad_band: list[SurveySexRowOut] | None = None
    population_by_five_year_band: list[SurveySexRowOut] | None = None
    hazards_by_industry: list[SurveyIndustryOut] | None = None
    data_roles: list[str]
