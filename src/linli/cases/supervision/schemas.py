"""Schemas of the 督办 batch and the indicator report: explicit fields in and out."""

from dataclasses import asdict
from datetime import date
from typing import Literal

from ninja import Field

from linli.core.schemas import Day, Id, In, Row, Text

from .. import rules
from ..schemas import BATCH_MAX, CaseVersionIn


class IndicatorFilterIn(In):
    group: Literal["department", "street", "community"] = Field("department", description="按主办单位、街道或社区分组")
    start: Day | None = Field(None, description="受理日期起（含当日），默认本月1日")
    end: Day | None = Field(None, description="受理日期止（不含当日），默认明天：统计 [start, end) 期间受理的案件")
    region: Id | None = Field(None, description="只统计该区域（含下级）的案件")
    sort: (
        Literal[
            "response_rate",
            "on_time_rate",
            "close_rate",
            "rework_rate",
            "return_rate",
            "satisfaction_rate",
            "avg_handling_hours",
            "solve_rate",
            "cases",
        ]
        | None
    ) = Field(None, description="按该项指标的排名（或 cases 案件数）排列；不填按单位或区域的id")


class SuperviseIn(In):
    cases: list[CaseVersionIn] = Field(max_length=BATCH_MAX, description="要督办的案件：全部督办，或一件也不督办")
    note: Text = Field(description="督办意见")


# ---------------------------------------------------------------- indicators


class IndicatorValues(Row):
    cases: int
    on_time_rate: float | None = Field(description="按期结案率（%）= 按期结案数 ÷（应结案数 − 缓办数）")
    close_rate: float | None = Field(description="结案率（%）")
    rework_rate: float | None = Field(description="返工率（%）")
    return_rate: float | None = Field(description="退单率（%）= 本单位退单的派单 ÷ 派给本单位的派单")
    satisfaction_rate: float | None = Field(description="满意率（%）")
    avg_handling_hours: float | None = Field(description="平均处置时长（工作小时）")
    response_rate: float | None = Field(description="响应率（%）= 在签收时限内签收或退单的派单 ÷ 应签收的派单")
    solve_rate: float | None = Field(description="解决率（%）= 回访称已解决 ÷ 回访到的案件（联系不上的按设定规则计入）")
    deferred: int = Field(description="缓办数：缓办已批准、尚未恢复办理的案件")


class IndicatorCounts(Row):
    cases: int
    dispatched: int
    closed: int
    due: int = Field(description="应结案：已结案、超过处置时限未办结或缓办中的案件")
    on_time: int
    deferred: int
    reworked: int
    assigned: int = Field(description="派单：派给该单位（或该区域案件）的派遣次数")
    returned: int = Field(description="退单：其中被退回的派单，计在退单的单位")
    response_due: int = Field(description="应签收：已签收或退单的派单，加上超过签收时限仍未签收的派单")
    responded: int = Field(description="按时签收：在签收时限内签收或退单的派单")
    rated: int
    satisfied: int
    visited: int = Field(description="已回访：回访接通、答复是否解决的已结案案件")
    solved: int = Field(description="已解决：其中答复问题已解决的")
    unreachable: int = Field(description="联系不上：回访未接通达到设定次数的已结案案件")
    handling_seconds: int


class IndicatorRowOut(Row):
    key: int | None = Field(description="单位或区域的id；未派遣、未定位的案件为空")
    name: str
    counts: IndicatorCounts
    values: IndicatorValues
    ranks: dict[str, int | None] = Field(description="各项指标的排名（1起，并列同名次；无数值的不排名）")


class IndicatorsOut(Row):
    group: str
    start: date
    end: date = Field(description="不含当日")
    labels: dict[str, str]
    rows: list[IndicatorRowOut]
    totals: IndicatorValues


class RankingChart(Row):
    label: str
    unit: str
    names: list[str]
    values: list[int | float]


class StateSeries(Row):
    name: str
    counts: list[int]


class StatesChart(Row):
    groups: list[str]
    series: list[StateSeries] = Field(description="每种状态在各组的案件数")


class MonthlyChart(Row):
    months: list[str]
    counts: list[int]


class IndicatorChartsOut(Row):
    ranking: RankingChart = Field(description="按 sort 指标的排名（默认按期处置率）")
    states: StatesChart
    monthly: MonthlyChart = Field(description="各月受理的案件数")


def indicators_out(*, group: str, start: date, end: date, rows, totals: rules.Indicators) -> dict:
    return {
        "group": group,
        "start": start,
        "end": end,
        "labels": rules.INDICATOR_LABELS,
        "rows": [
            {"key": r.key, "name": r.name, "counts": asdict(r.counts), "values": asdict(r.values), "ranks": r.ranks}
            for r in rows
        ],
        "totals": asdict(totals),
    }
