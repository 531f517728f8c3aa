"""调查与普查 of the demo: a census of the demo street in progress and a finished occupational-health survey of the
district's hazard enterprises.

The census is set up, its 普查小区 proposed and staffed, started (frame frozen, long-form households drawn), its
re-check sample drawn, re-checked and its coverage lists computed through the surveys' services. The forms of about
60 % of the households are made from the registry as an enumerator would hear them, with a few households
answering otherwise so that each clean-up list has rows (a person left out, one not in the registry, one living
away from their 户口, a baby without 户口, a death the registry does not know of); each is checked by the form's
rules (forms.rules.answer_errors) and bulk inserted as the entry service stores it: a few of the grid worker's
through that service itself. The demo's registry is written at build time, so the census counts it at the next
midnight (its standard moment).

The enterprise survey covers about 40 enterprises added to the district's organisations (industries, registration
dates, hazard flags), about 30 of them in its frame; every form is back (entered by the district office as paper
returns: enterprises belong to no 普查小区), 2 % were drawn and re-checked on site, one with an error, and the
survey is finished.
"""

import copy
import random
import uuid
from datetime import date, datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.db.models import F
from django.utils import timezone

from linli.accounts.models import User
from linli.organizations.models import Organization
from linli.people import rules as people_rules
from linli.people.models import Household, Person
from linli.surveys import rules, services
from linli.surveys.areas import services as area_services
from linli.surveys.coverage import services as coverage_services
from linli.surveys.entry import services as entry_services
from linli.surveys.forms.rules import answer_errors, visible
from linli.surveys.forms.selectors import survey_form
from linli.surveys.frames import services as frame_services
from linli.surveys.models import AreaEnumerator, DrawPick, FrameUnit, Response
from linli.surveys.quality import selectors as quality_selectors
from linli.surveys.quality import services as quality_services

from . import identity

ENTERED = 0.6  # the share of the census households whose forms are in
REFUSED, EMPTY, VISITED = 0.02, 0.03, 0.04  # and of those visited without a form: 拒访, 空户, 已访 (to come back)
THROUGH_SERVICE = 12  # the grid worker's first households go through the entry service itself
RECHECKED = 6  # drawn census forms re-checked so far

# Enterprises of the district: (name, industry, hazard, the hazard factors a form names (U5 codes)).
ENTERPRISES = [
    ("沈阳华晨汽车零部件有限公司", "C", True), ("沈阳北方重型机械制造有限公司", "C", True),
    ("沈阳金杯精密铸造有限公司", "C", True), ("沈阳东宇化工有限公司", "C", True),
    ("沈阳新松焊接设备有限公司", "C", True), ("沈阳盛京家具制造有限公司", "C", True),
    ("沈阳华润雪花啤酒有限公司", "C", True), ("沈阳三洋压缩机有限公司", "C", True),
    ("沈阳辽海印刷有限公司", "C", True), ("沈阳远大铝业工程有限公司", "C", True),
    ("沈阳鼓风机配件有限公司", "C", True), ("沈阳兴齐眼药有限公司", "C", True),
    ("沈阳恒通纺织有限公司", "C", True), ("沈阳东北蓄电池有限公司", "C", True),
    ("沈阳奥克玻璃制品有限公司", "C", True), ("沈阳沈河建筑工程有限公司", "E", True),
    ("沈阳盛达装饰工程有限公司", "E", True), ("沈阳城建路桥工程有限公司", "E", True),
    ("沈阳惠天热电股份有限公司", "D", True), ("沈阳燃气沈河供气有限公司", "D", True),
    ("沈阳水务沈河供水有限公司", "D", True), ("沈阳顺通物流有限公司", "G", True),
    ("沈阳铁路货运服务有限公司", "G", True), ("沈阳盛京干洗连锁有限公司", "O", True),
    ("沈阳洁城环境卫生服务有限公司", "N", True), ("沈阳北方医学检验有限公司", "M", True),
    ("沈阳口腔医院有限公司", "Q", True), ("沈阳万象汽车维修有限公司", "O", True),
    ("沈阳盛世石材加工有限公司", "C", True), ("沈阳中街冰点食品有限公司", "C", True),
    ("沈阳老边饺子馆有限公司", "H", False), ("沈阳中兴商业大厦有限公司", "F", False),
    ("沈阳沈河数码科技有限公司", "I", False), ("沈阳盛京银行服务有限公司", "J", False),
    ("沈阳方圆房地产经纪有限公司", "K", False), ("沈阳天成会展服务有限公司", "L", False),
    ("沈阳博雅教育咨询有限公司", "P", False), ("沈阳北市场文化传媒有限公司", "R", False),
    ("沈阳新世纪焊材有限公司", "C", True), ("沈阳金属表面处理有限公司", "C", True),
]  # fmt: skip
LATE = 3  # enterprises registered after the cut-off: out of the frame


def build(*, now: datetime, seed: int = 2026) -> list[str]:
    rng = random.Random(f"{seed}:surveys")
    users = {u.username: u for u in User.objects.filter(username__in=[
        "district_staff", "street_staff", "community_worker", "community_worker2", "grid_worker"])}  # fmt: skip
    if len(users) < 5:
        return ["调查与普查 surveys: 缺少演示账号，未生成"]
    _default_forms()
    enterprises = _enterprises(rng, now)
    census = _census(rng, users)
    units = _unit_survey(rng, users, now)
    return [census, units + f"（新增 {enterprises} 家辖区企业 enterprises）"]


def _default_forms() -> None:
    """The default forms, loaded as their migration loads them (if missing): `demo_build --reset` empties their
    tables with every other table of ours (on PostgreSQL the truncation cascades to them from the users)."""
    import_module("linli.surveys.migrations.0002_default_forms").load(apps, None)


# ---------------------------------------------------------------- enterprises


def _enterprises(rng: random.Random, now: datetime) -> int:
    district = User.objects.get(username="district_staff").region
    cutoff = _cutoff(now)
    late = set(rng.sample(range(len(ENTERPRISES)), LATE))
    rows = []
    for n, (name, industry, hazard) in enumerate(ENTERPRISES):
        if n in late:
            registered = min(cutoff + timedelta(days=rng.randint(30, 150)), now.date())
        else:
            registered = date(rng.randint(1995, cutoff.year), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(Organization(
            kind=Organization.Kind.ENTERPRISE, name=name, region=district, industry=industry,
            occupational_hazard=hazard, registered_on=registered,
            credit_code=people_rules.validate_credit_code(identity.credit_code(rng, "91210103")),
        ))  # fmt: skip
    Organization.objects.bulk_create(rows)
    return len(rows)


# ---------------------------------------------------------------- answers


def _some(q: dict, rng: random.Random):
    """A plausible answer to a question the registry does not know."""
    kind = q["type"]
    if kind == "choice":
        return rng.choice(q["options"])["value"]
    if kind == "multi":
        picked = {o["value"] for o in rng.sample(q["options"], k=min(len(q["options"]), rng.randint(1, 2)))}
        return [o["value"] for o in q["options"] if o["value"] in picked]
    if kind == "number":
        low = q.get("min", 0)
        return rng.randint(low, min(q.get("max", low + 10), low + 10))
    if kind == "date":
        return date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    return q.get("label", "")[: q.get("max_length", 20)]


def fill(definition: dict, known: dict, rng: random.Random) -> dict:
    """Answers to `definition`: what is `known` (table rows as lists of dicts), the rest made up where the question
    is shown and required (and now and then where it is optional); what the skip rules hide is left out."""
    answers: dict = {}
    for section in definition["sections"]:
        for q in section["questions"]:
            ruled = bool(section.get("show_if") or q.get("show_if"))  # without a rule it is shown: no need to ask
            if ruled and not visible(definition, answers, q["key"]):
                continue
            if q["type"] == "table":
                answers[q["key"]] = rows = []
                for n, given in enumerate(known.get(q["key"], []), 1):
                    row: dict = {}
                    rows.append(row)
                    for c in q["columns"]:
                        row[c["key"]] = given.get(c["key"])
                        if (ruled or c.get("show_if")) and not visible(definition, answers, c["key"], n):
                            del row[c["key"]]
                        elif row[c["key"]] is None:
                            row[c["key"]] = _some(c, rng) if c.get("required") or rng.random() < 0.5 else None
                            if row[c["key"]] is None:
                                del row[c["key"]]
                continue
            value = known.get(q["key"])
            if value is None and (q.get("required") or rng.random() < 0.5):
                value = _some(q, rng)
            if value is not None:
                answers[q["key"]] = value
    return answers


def checked(definition: dict, answers: dict, what: str) -> dict:
    """The answers, or a stop of the build naming what the form's rules refuse."""
    errors = answer_errors(definition, answers)
    if errors:
        raise ValueError(f"{what}: " + "；".join(f"{path} {message}" for path, message in errors[:5]))
    return answers


# ---------------------------------------------------------------- the census

RELATIONSHIP = {"head": "0", "spouse": "1", "child": "2", "parent": "3", "grandparent": "5", "grandchild": "7",
                "sibling": "8", "in_law": "6", "relative": "9", "non_relative": "9"}  # fmt: skip
# 户口登记地 as the registry has it: 户籍 here; 流动 and 人户分离 elsewhere in the city or beyond.
HUKOU = {"registered": "1", "resident": "1", "floating": "4", "separated": "3", "overseas": "1"}


def _person_row(p: dict, ethnic: dict[str, str]) -> dict:
    return {"R1": p["name"], "R2": RELATIONSHIP.get(p["relationship"], "9"), "R3": "2" if p["gender"] == "F" else "1",
            "R4": p["birth_date"].isoformat(), "R5": ethnic.get(p["ethnicity"], "01"),
            "R6": HUKOU.get(p["residence_type"], "1")}  # fmt: skip


def _differences(rng: random.Random, households: list[int], rows: dict[int, list[dict]], deaths: dict) -> list[str]:
    """A few households answer otherwise than the registry says, one per clean-up list (and a second of each)."""
    made = []
    candidates = [h for h in households if len(rows[h]) >= 2]
    picks = rng.sample(candidates, k=min(10, len(candidates)))
    for n, h in enumerate(picks):
        kind = n % 5
        if kind == 0:  # 漏登: a member left out
            rows[h].pop()
            made.append("漏登")
        elif kind == 1:  # 未登记: a lodger the registry does not know
            rows[h].append({"R1": rng.choice(["李桂兰", "王建军", "赵淑芬"]), "R2": "9", "R3": "1",
                            "R4": "1988-04-12", "R5": "01", "R6": "4"})  # fmt: skip
            made.append("未登记")
        elif kind == 2:  # 人户分离: living here, 户口 in another street
            rows[h][-1]["R6"] = "4"
            made.append("人户分离")
        elif kind == 3:  # 无户口: a baby not yet registered
            rows[h].append({"R1": rows[h][0]["R1"][0] + "小宝", "R2": "7", "R3": "2", "R4": "2026-03-08",
                            "R5": rows[h][0]["R5"], "R6": "5"})  # fmt: skip
            made.append("无户口")
        else:  # 应销未销: a member died in the reference year
            gone = rows[h].pop()
            deaths[h] = {"D1": gone["R1"], "D2": gone["R3"], "D3": gone["R4"], "D4": "2026-05-20", "D5": gone["R5"]}
            made.append("应销未销")
    return made


def _census(rng: random.Random, users: dict[str, User]) -> str:
    street_staff = users["street_staff"]
    street = street_staff.region
    day = timezone.localdate() + timedelta(days=1)
    survey = services.survey_create(user=street_staff, kind=rules.CENSUS, title=f"{street.name}人口普查",
                                    region_id=street.pk, standard_day=day)  # fmt: skip
    areas = area_services.areas_propose(user=street_staff, survey_id=survey.pk)
    workers = {users["community_worker"].region_id: users["community_worker"],
               users["community_worker2"].region_id: users["community_worker2"]}  # fmt: skip
    grid_community = users["grid_worker"].region.parent_id
    for n, area in enumerate(areas):
        # The grid worker enumerates the first areas of its community, its community's worker the others;
        # the street office takes the communities without a demo account.
        if area.community_id == grid_community and n % 2 == 0:
            enumerator = users["grid_worker"]
        else:
            enumerator = workers.get(area.community_id, street_staff)
        area_services.enumerator_assign(user=street_staff, survey_id=survey.pk, area_id=area.pk, user_id=enumerator.pk)
    survey = services.survey_start(user=street_staff, survey_id=survey.pk, version=survey.version)
    entered = _enter_census(rng, survey, users)
    frame_services.recheck_draw(user=street_staff, survey_id=survey.pk, seed=f"{street.code}-复核")
    rechecked = _recheck(rng, survey, users["district_staff"])
    lists = coverage_services.findings_compute(user=street_staff, survey_id=survey.pk)
    found = sum(sum(v.values()) if isinstance(v, dict) else v for v in lists.values())
    return (f"调查与普查 surveys: {survey.title} — {len(areas)} 个普查小区 areas, {survey.frame.units} 户 households, "
            f"{entered} 份已登记 entered, {rechecked} 份已复核 rechecked, {found} 条核查结果 findings")  # fmt: skip


def _enter_census(rng: random.Random, survey, users: dict[str, User]) -> int:
    forms = {role: survey_form(survey, role) for role in (rules.SHORT, rules.LONG, rules.DEATH)}
    ethnic = {o["label"]: o["value"] for q in _columns(forms[rules.SHORT].definition, "P") if q["key"] == "R5"
              for o in q["options"]}  # fmt: skip
    units = list(FrameUnit.objects.filter(frame__survey=survey).order_by("position")
                 .values("pk", "household_id", "area_id", "form_role", "version"))  # fmt: skip
    enumerator = dict(AreaEnumerator.objects.filter(area__survey=survey).values_list("area_id", "user_id"))
    # Each area is further along or behind: about ENTERED overall.
    pace = {a: min(1.0, max(0.0, rng.gauss(ENTERED, 0.2))) for a in enumerator}
    chosen, states = [], {}
    for u in units:
        roll = rng.random()
        if roll < pace[u["area_id"]]:
            chosen.append(u)
        elif roll < pace[u["area_id"]] + REFUSED:
            states[u["pk"]] = (rules.REFUSED, "户主拒绝登记，已报普查指导员")
        elif roll < pace[u["area_id"]] + REFUSED + EMPTY:
            states[u["pk"]] = (rules.EMPTY, "空置房，邻居证实无人居住")
        elif roll < pace[u["area_id"]] + REFUSED + EMPTY + VISITED:
            states[u["pk"]] = (rules.VISITED, "家中无人，已留联系卡")
    persons: dict[int, list[dict]] = {}
    members = Person.objects.filter(household_id__in=[u["household_id"] for u in chosen]).order_by("household_id", "pk")
    for p in members.values("household_id", "name", "gender", "birth_date", "ethnicity", "residence_type",
                            "relationship"):  # fmt: skip
        persons.setdefault(p["household_id"], []).append(p)
    kinds = dict(Household.objects.filter(pk__in=persons).values_list("pk", "kind"))
    areas = dict(Household.objects.filter(pk__in=persons).values_list("pk", "house__building_area"))
    chosen = [u for u in chosen if persons.get(u["household_id"])]
    rows = {u["household_id"]: [_person_row(p, ethnic) for p in persons[u["household_id"]]] for u in chosen}
    for household_rows in rows.values():
        household_rows.sort(key=lambda r: r["R2"] != "0")  # the head first, as on the paper form
    deaths: dict[int, dict] = {}
    _differences(rng, [u["household_id"] for u in chosen], rows, deaths)
    now = timezone.now()
    grid_worker = users["grid_worker"]
    responses, done_by = [], {}
    through_service = 0
    for u in chosen:
        h = u["household_id"]
        known = {"H1": "2" if kinds.get(h) == "collective" else "1", "H2": len(rows[h]), "H3": 1 if h in deaths else 0,
                 "H4": int(areas.get(h) or 60), "H5": rng.randint(1, 4), "P": rows[h]}  # fmt: skip
        form = forms[u["form_role"]]
        answers = checked(form.definition, fill(form.definition, known, rng), f"户 {h}")
        filed = [(u["form_role"], form, answers)]
        if h in deaths:
            death = checked(forms[rules.DEATH].definition, fill(forms[rules.DEATH].definition, {"D": [deaths[h]]}, rng),
                            f"户 {h} 死亡人口调查表")  # fmt: skip
            filed.append((rules.DEATH, forms[rules.DEATH], death))
        who = enumerator[u["area_id"]]
        if who == grid_worker.pk and through_service < THROUGH_SERVICE:
            for role, _, a in filed:
                entry_services.response_submit(user=grid_worker, unit_id=u["pk"], role=role, answers=a,
                                               idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                                               filled_at=now, read_back=True)  # fmt: skip
            through_service += 1
            continue
        filled = now - timedelta(minutes=rng.randint(10, 60 * 24 * 3))
        responses += [Response(unit_id=u["pk"], role=role, form_version=f, answers=a, read_back=True, entered_by_id=who,
                               idempotency_key=uuid.UUID(int=rng.getrandbits(128)), filled_at=filled)
                      for role, f, a in filed]  # fmt: skip
        done_by.setdefault(who, []).append(u["pk"])
    Response.objects.bulk_create(responses, batch_size=1000)
    for who, pks in done_by.items():
        FrameUnit.objects.filter(pk__in=pks).update(state=rules.DONE, visited_by_id=who, visited_at=now,
                                                     version=F("version") + 1)  # fmt: skip
    for state in (rules.REFUSED, rules.EMPTY, rules.VISITED):
        for note in {n for s, n in states.values() if s == state}:
            pks = [pk for pk, (s, n) in states.items() if s == state and n == note]
            FrameUnit.objects.filter(pk__in=pks).update(state=state, state_note=note, visited_at=now,
                                                         version=F("version") + 1)  # fmt: skip
    return len(chosen)


def _columns(definition: dict, table: str) -> list[dict]:
    return next(q["columns"] for s in definition["sections"] for q in s["questions"] if q["key"] == table)


def _recheck(rng: random.Random, survey, checker: User) -> int:
    """Re-check some drawn forms on site: the re-checker hears the same answers, every other time one person's day of
    birth otherwise (an error of the original form; no skip rule hangs on it)."""
    picks = list(DrawPick.objects.filter(draw__survey=survey, draw__purpose=rules.DRAW_RECHECK)
                 .order_by("pk").values_list("unit_id", flat=True)[:RECHECKED])  # fmt: skip
    for n, unit_id in enumerate(picks):
        response = Response.objects.get(unit_id=unit_id, role=F("unit__form_role"))
        answers = _recheck_items(survey, response)
        if n % 2 == 0:
            row = answers["P"][-1]
            row["R4"] = row["R4"][:8] + ("02" if row["R4"].endswith("-01") else "01")
        quality_services.recheck_record(user=checker, response_id=response.pk, answers=answers)
    return len(picks)


def _recheck_items(survey, response: Response) -> dict:
    """The checked form's answers to the items the re-check form asks (a census re-checks the form itself)."""
    form = quality_selectors.recheck_form(survey, response)
    keys = {q["key"] for s in form.version.definition["sections"] for q in s["questions"]}
    return {k: copy.deepcopy(v) for k, v in response.answers.items() if k in keys}


# ---------------------------------------------------------------- the occupational-health survey

FACTORS_BY_INDUSTRY = {"C": ["1", "2", "3"], "E": ["1", "3"], "D": ["2", "3"], "G": ["3"]}


def _starts(now: datetime) -> date:
    """The enterprise survey ran from 7月1日 of this year, or of last year when this year's would not be over."""
    return date(now.year, 7, 1) if now.date() >= date(now.year, 8, 15) else date(now.year - 1, 7, 1)


def _cutoff(now: datetime) -> date:
    """Enterprises registered by the end of the year before the survey are surveyed."""
    return date(_starts(now).year - 1, 12, 31)


def _at(day: date, days: int) -> datetime:
    """Office hours `days` after `day`."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=days), datetime.min.time()) + timedelta(hours=10))


def _unit_survey(rng: random.Random, users: dict[str, User], now: datetime) -> str:
    staff = users["district_staff"]
    district = staff.region
    starts = _starts(now)
    survey = services.survey_create(user=staff, kind=rules.UNITS, title=f"{district.name}职业健康状况调查",
                                    region_id=district.pk, registered_before=_cutoff(now),
                                    hazard_only=True, starts_on=starts, issuer="区卫生健康局")  # fmt: skip
    survey = services.survey_start(user=staff, survey_id=survey.pk, version=survey.version, now=_at(starts, 20))
    form = survey_form(survey, rules.UNIT)
    units = list(FrameUnit.objects.filter(frame__survey=survey).select_related("organization").order_by("position"))
    filled = _at(starts, 24)
    responses = []
    for u in units:
        org = u.organization
        workers = rng.randint(20, 800)
        exposed = rng.randint(workers // 10, workers // 2)
        factors = FACTORS_BY_INDUSTRY.get(org.industry, ["3"])
        known = {"U1": org.name, "U2": org.industry, "U3": workers, "U4": exposed,
                 "U5": factors[: rng.randint(1, len(factors))], "U6": rng.choice([0, 0, 0, 1, 2]), "U9": 0}  # fmt: skip
        answers = checked(form.definition, fill(form.definition, known, rng), org.name)
        # Each enterprise filled in its own form (企业自填) and sent it back: no enumerator entered it.
        responses.append(Response(unit=u, role=rules.UNIT, form_version=form, answers=answers, read_back=False,
                                  entered_by=None, idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                                  filled_at=filled))  # fmt: skip
    Response.objects.bulk_create(responses)
    FrameUnit.objects.filter(pk__in=[u.pk for u in units]).update(
        state=rules.DONE, visited_at=filled, version=F("version") + 1)  # fmt: skip
    frame_services.recheck_draw(user=staff, survey_id=survey.pk, seed=f"{district.code}-职业健康-复核")
    survey.refresh_from_db()
    rechecked = 0
    for unit_id in DrawPick.objects.filter(draw__survey=survey, draw__purpose=rules.DRAW_RECHECK).values_list(
            "unit_id", flat=True):  # fmt: skip
        response = Response.objects.get(unit_id=unit_id, role=rules.UNIT)
        items = _recheck_items(survey, response)
        items["U4"] = items["U4"] + 12  # the re-checker counted more exposed workers on site
        items |= {"Q1": "2", "Q2": "接触职业病危害因素人数少报12人"}
        quality_services.recheck_record(user=staff, response_id=response.pk, answers=items)
        rechecked += 1
    survey = services.survey_finish(user=staff, survey_id=survey.pk, version=survey.version, now=_at(starts, 40))
    state = rules.STATES[survey.state]
    return (
        f"调查与普查 surveys: {survey.title} — {len(units)} 家企业 enterprises, {rechecked} 份复核 rechecked, {state}"
    )
