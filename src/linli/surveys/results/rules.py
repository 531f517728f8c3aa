"""进度与结果: response rates, the census's population by age band, sex and area, the unit survey's hazards by
industry, and the form's data flattened for statistical software. Pure: the selectors feed them rows.

Ages are completed years at the standard moment (a person born on 1 November 2000 is 10 at 2010-11-01 00:00).
A share (response rate, exposed workers) is a fraction rounded half up to 4 places, as the error rate is.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from .. import rules as survey_rules
from ..quality.rules import error_rate, percent, questions

share = error_rate  # one rounding for every fraction a survey reports

# States in the order the dashboard and the tables show them; the response rate is 完成 over all units.
STATES = list(survey_rules.UNIT_STATES)
MALE, FEMALE = "1", "2"  # R3 性别 of the census forms
BROAD_BANDS = [
    (0, 14, gettext_lazy("0–14岁")),
    (15, 59, gettext_lazy("15–59岁")),
    (60, None, gettext_lazy("60岁及以上")),
]
OLDEST_BAND = 100  # 5-year bands up to 95–99, then 100岁及以上


@dataclass
class StateCounts:
    key: Any
    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def of(self, state: str) -> int:
        return self.counts[state]

    @property
    def cells(self) -> list[int]:
        return [self.counts[s] for s in STATES]

    @property
    def labelled(self) -> list[tuple[str, int]]:
        """(state's name, count): a phone shows each cell with its column's name."""
        return [(survey_rules.UNIT_STATES[s], self.counts[s]) for s in STATES]

    @property
    def rate(self) -> Decimal | None:
        """应答率: the units whose forms are in, over all units."""
        return share(self.counts[survey_rules.DONE], self.total)

    @property
    def percent(self) -> str:
        return percent(self.rate)


def state_counts(rows: Iterable[tuple[Any, str, str, int]]) -> list[StateCounts]:
    """(key, label, state, count) rows folded per key, in the order keys first appear."""
    out: dict[Any, StateCounts] = {}
    for key, label, state, n in rows:
        out.setdefault(key, StateCounts(key, label)).counts[state] += n
    return list(out.values())


def cumulative(days: Iterable[tuple[date, str, int]]) -> dict:
    """Per day, the units that reached each state that day and the forms in so far: {"days": [...], state: [...],
    "done_total": [...]}, days in order."""
    per_day: dict[date, Counter] = {}
    for day, state, n in days:
        per_day.setdefault(day, Counter())[state] += n
    ordered = sorted(per_day)
    running, totals = 0, []
    for d in ordered:
        running += per_day[d][survey_rules.DONE]
        totals.append(running)
    out = {"days": [d.isoformat() for d in ordered], "done_total": totals}
    out |= {s: [per_day[d][s] for d in ordered] for s in STATES if s != survey_rules.NOT_VISITED}
    return out


# ---------------------------------------------------------------- census: population


def age_at(birth: date, moment: date) -> int:
    return moment.year - birth.year - ((moment.month, moment.day) < (birth.month, birth.day))


def broad_band(age: int) -> str:
    return next(label for low, high, label in BROAD_BANDS if age >= low and (high is None or age <= high))


def five_year_band(age: int) -> str:
    if age >= OLDEST_BAND:
        return gettext("%(OLDEST_BAND)s岁及以上") % {"OLDEST_BAND": OLDEST_BAND}
    low = age // 5 * 5
    return gettext("%(low)s–%(value)s岁") % {"low": low, "value": low + 4}


FIVE_YEAR_BANDS = [five_year_band(a) for a in range(0, OLDEST_BAND + 1, 5)]


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def persons(answers: dict) -> list[tuple[str, date]]:
    """(sex, birth date) of each person row (P) of a census form; rows without a readable sex or date are left
    out (the form's rules refuse them on entry)."""
    rows = answers.get("P") if isinstance(answers, dict) else None
    out = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        sex, birth = str(row.get("R3", "")), _date(row.get("R4"))
        if sex in (MALE, FEMALE) and birth is not None:
            out.append((sex, birth))
    return out


@dataclass
class SexRow:
    label: str
    male: int = 0
    female: int = 0
    bands: Counter = field(default_factory=Counter)  # broad band → persons

    @property
    def total(self) -> int:
        return self.male + self.female

    def add(self, sex: str, band: str) -> None:
        if sex == MALE:
            self.male += 1
        else:
            self.female += 1
        self.bands[band] += 1

    @property
    def band_cells(self) -> list[int]:
        return [self.bands[label] for *_, label in BROAD_BANDS]

    @property
    def labelled_bands(self) -> list[tuple[str, int]]:
        return [(label, self.bands[label]) for *_, label in BROAD_BANDS]


@dataclass
class Population:
    by_area: list[SexRow]
    by_broad_band: list[SexRow]
    by_five_year_band: list[SexRow]
    total: SexRow
    forms: int


def population(forms: Iterable[tuple[str, dict]], moment: date) -> Population:
    """Persons of the returned forms by area, by broad age band and by 5-year band, each split by sex.
    `forms` are (area label, answers), areas in the order they should show."""
    areas: dict[str, SexRow] = {}
    broad = {label: SexRow(label) for *_, label in BROAD_BANDS}
    five = {label: SexRow(label) for label in FIVE_YEAR_BANDS}
    total, count = SexRow(gettext("合计")), 0
    for area, answers in forms:
        count += 1
        row = areas.setdefault(area, SexRow(area))
        for sex, birth in persons(answers):
            age = age_at(birth, moment)
            if age < 0:  # born after the moment: not counted (the form's rules refuse it)
                continue
            band = broad_band(age)
            for r in (row, broad[band], five[five_year_band(age)], total):
                r.add(sex, band)
    return Population(list(areas.values()), list(broad.values()), list(five.values()), total, count)


# ---------------------------------------------------------------- unit survey: hazards by industry


def _count(value: Any) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        return 0
    return max(n, 0)


@dataclass
class IndustryRow:
    code: str
    label: str
    enterprises: int = 0
    workers: int = 0
    exposed: int = 0
    cases: int = 0

    @property
    def exposed_share(self) -> Decimal | None:
        return share(min(self.exposed, self.workers), self.workers)

    @property
    def exposed_percent(self) -> str:
        return percent(self.exposed_share)


def options(definition: dict, key: str) -> dict[str, str]:
    """A choice question's values and labels."""
    for q in questions(definition):
        if q["key"] == key:
            return {str(o["value"]): str(o.get("label") or o["value"]) for o in q.get("options") or []}
    return {}


def hazards_by_industry(forms: Iterable[dict], definition: dict) -> tuple[list[IndustryRow], IndustryRow]:
    """Enterprises, workers (U3), exposed workers (U4) and occupational-disease cases (U6) per industry (U2) of the
    returned unit forms, industries in the form's order; and the total."""
    labels = options(definition, "U2")
    rows: dict[str, IndustryRow] = {}
    total = IndustryRow("", gettext("合计"))
    for answers in forms:
        code = str(answers.get("U2") or "")
        row = rows.setdefault(code, IndustryRow(code, labels.get(code, code or "（未填）")))
        for r in (row, total):
            r.enterprises += 1
            r.workers += _count(answers.get("U3"))
            r.exposed += _count(answers.get("U4"))
            r.cases += _count(answers.get("U6"))
    order = {code: n for n, code in enumerate(labels)}
    return sorted(rows.values(), key=lambda r: (order.get(r.code, len(order)), r.code)), total


# ---------------------------------------------------------------- the data for statistical software


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header: the question's key, a multiple choice's option as KEY_VALUE (1 chosen, 0 not)
    key: str  # the answer it is read from
    label: str
    type: str
    values: str  # the codes: "1=男; 2=女"
    table: str = ""  # the table question the column belongs to
    option: str | None = None
    unit: str = ""


def _values(q: dict) -> str:
    if q.get("type") in ("choice", "multi"):
        return "; ".join(f"{o['value']}={o.get('label', o['value'])}" for o in q.get("options") or [])
    if q.get("type") == "number":
        low, high = q.get("min"), q.get("max")
        return f"{'' if low is None else low}–{'' if high is None else high}" if (low, high) != (None, None) else ""
    return ""


def _columns(qs: Iterable[dict], table: str = "") -> list[Column]:
    out = []
    for q in qs:
        label, unit = str(q.get("label") or q["key"]), str(q.get("unit") or "")
        if q.get("type") == "multi":
            for o in q.get("options") or []:
                out.append(
                    Column(
                        f"{q['key']}_{o['value']}",
                        q["key"],
                        f"{label}：{o.get('label', o['value'])}",
                        "multi",
                        gettext("1=选; 0=未选"),
                        table,
                        str(o["value"]),
                    )
                )
        else:
            out.append(Column(q["key"], q["key"], label, q.get("type", "text"), _values(q), table, unit=unit))
    return out


def tables(definition: dict) -> list[dict]:
    return [q for q in questions(definition) if q.get("type") == "table"]


def columns(definition: dict) -> list[Column]:
    """The form's columns outside its tables."""
    return _columns(q for q in questions(definition) if q.get("type") != "table")


def table_columns(table: dict) -> list[Column]:
    return _columns(table.get("columns") or [], table["key"])


def cells(cols: list[Column], answers: dict) -> list[Any]:
    out = []
    for c in cols:
        value = answers.get(c.key)
        if c.option is not None:
            out.append(1 if isinstance(value, list) and c.option in map(str, value) else 0)
        else:
            out.append("" if value is None else value)
    return out


def codebook(definition: dict) -> list[Column]:
    """Every column of the form's data files: its own, then each table's."""
    out = columns(definition)
    for t in tables(definition):
        out += table_columns(t)
    return out
