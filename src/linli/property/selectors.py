"""Reads of property supervision: the companies a user may see (the district's, for its region offices; their own,
for a company's staff), a company's file, the yearly credit scores and grades, the public ranking, and the rates
the plans measure (物业化率, 投诉率) for any region."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import roles, scope
from linli.cases import rules as case_rules
from linli.cases.models import Assignment, Case
from linli.core.errors import PermissionDenied
from linli.organizations.models import Organization
from linli.people.models import Estate, House

from . import rules
from .models import CompanyProfile, CreditRecord, Project, ProjectManager

NOT_READER = gettext_lazy("只有区、街道、社区工作人员和物业企业本身可以查看物业企业档案")
POINTS = DecimalField(max_digits=7, decimal_places=1)


def tender_rule() -> rules.TenderRule:
    return rules.TenderRule.of(settings.LINLI_PROPERTY_TENDER)


def credit_scheme() -> rules.Scheme:
    configured = settings.LINLI_PROPERTY_CREDIT_SCHEME
    return rules.Scheme.of(configured) if configured else rules.JINAN


def may_read_companies(user) -> bool:
    """A region office reads the files of the companies serving it (a company's staff only their own)."""
    return roles.can(user, roles.PROPERTY, roles.READ_COMPANIES)


def check_reader(user) -> None:
    if not (roles.can(user, roles.PROPERTY, roles.READ_COMPANIES)
            or roles.can(user, roles.PROPERTY, roles.OWN_COMPANY_FILE)):  # fmt: skip
        raise PermissionDenied(NOT_READER)


def company_queryset(*, user) -> QuerySet:
    """The companies the user may read: a region office those registered in its region or above it (a company of
    the district serves its streets); a company's staff their own company only."""
    check_reader(user)
    companies = Organization.objects.filter(kind=Organization.Kind.COMPANY)
    if roles.can(user, roles.PROPERTY, roles.OWN_COMPANY_FILE):
        return companies.filter(pk=user.organization_id)
    return companies.filter(scope.subtree_or_above_q(scope.region_path(user), "region"))


def _points(kind: str, year: int) -> Subquery:
    records = CreditRecord.objects.filter(company=OuterRef("pk"), year=year, kind=kind, voided_at__isnull=True)
    total = records.order_by().values("company").annotate(total=Sum("points")).values("total")
    return Coalesce(Subquery(total, output_field=POINTS), Value(Decimal(0)), output_field=POINTS)


def with_score(qs: QuerySet, year: int) -> QuerySet:
    """Companies annotated with the year's `good`, `bad` and `score` (rules.score, in the database so that lists
    filter and sort by it)."""
    s = credit_scheme()
    raw = Value(s.base, output_field=POINTS) + _points(rules.GOOD, year) - _points(rules.BAD, year)
    return qs.annotate(
        good=_points(rules.GOOD, year),
        bad=_points(rules.BAD, year),
        score=Least(Greatest(raw, Value(s.floor, output_field=POINTS)), Value(s.ceiling, output_field=POINTS)),
    )


def current_year() -> int:
    return timezone.localdate().year


def company_list(*, user, q: str = "", grade: str = "", year: int | None = None) -> QuerySet:
    """The companies of the user's scope with their number of estates served, and the year's score (`score`), best
    first; `grade` keeps the companies of that grade."""
    qs = company_queryset(user=user)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(credit_code__contains=q.upper()))
    qs = with_score(qs, year or current_year()).annotate(
        estates_count=Count("estates", filter=Q(estates__management=Estate.Management.PROFESSIONAL), distinct=True)
    )
    if grade in credit_scheme().grades:
        low, high = rules.grade_range(credit_scheme(), grade)
        if low is not None:
            qs = qs.filter(score__gte=low)
        if high is not None:
            qs = qs.filter(score__lt=high)
    return qs.order_by("-score", "name", "pk")


def company_get(*, user, pk: int) -> Organization:
    return scope.get_or_404(company_queryset(user=user).select_related("region"), pk=pk)


def grade_of(score) -> str:
    return rules.grade(credit_scheme(), rules.points(score))


def profile_of(company: Organization) -> CompanyProfile:
    """The company's profile, an empty one (not saved) until the housing authority fills it in."""
    return CompanyProfile.objects.filter(company=company).first() or CompanyProfile(company=company)


@dataclass
class YearScore:
    year: int
    good: Decimal
    bad: Decimal
    score: Decimal
    grade: str


def score_history(company: Organization, *, upto: int | None = None) -> list[YearScore]:
    """The company's score and grade of every year it has records in, and of the current year, oldest first."""
    s = credit_scheme()
    upto = upto or current_year()
    sums = (
        CreditRecord.objects.filter(company=company, voided_at__isnull=True)
        .values("year")
        .annotate(good=Sum("points", filter=Q(kind=rules.GOOD)), bad=Sum("points", filter=Q(kind=rules.BAD)))
    )
    by_year = {r["year"]: (r["good"] or Decimal(0), r["bad"] or Decimal(0)) for r in sums}
    by_year.setdefault(upto, (Decimal(0), Decimal(0)))
    history = []
    for year in sorted(by_year):
        good, bad = by_year[year]
        value = rules.score(s, good, bad)
        history.append(YearScore(year, good, bad, value, rules.grade(s, value)))
    return history


def managers_of(company: Organization) -> QuerySet:
    return ProjectManager.objects.filter(company=company).order_by("name", "pk")


def projects_of(company: Organization) -> QuerySet:
    return (
        Project.objects.filter(company=company)
        .select_related("estate__region", "manager")
        .order_by("ended_at", "-contract_start", "-pk")
    )


def company_file(company: Organization, *, today: date | None = None) -> dict:
    """Everything the company's file shows (page and API alike): profile, project managers (expired certificates
    marked), projects, scores by year, and this year's complaints against it."""
    today = today or timezone.localdate()
    managers = list(managers_of(company))
    for m in managers:
        m.expired = rules.certificate_expired(m.certificate_valid_until, today)
    projects = list(projects_of(company))
    for p in projects:
        p.estate_name = p.estate.name
    start = timezone.make_aware(datetime(today.year, 1, 1))
    return {
        "id": company.pk, "name": company.name, "credit_code": company.credit_code, "company": company,
        "profile": profile_of(company), "managers": managers, "projects": projects,
        "scores": score_history(company, upto=today.year),
        **company_complaint_rate(company, start, timezone.now()),
    }  # fmt: skip


def records_of(company: Organization, *, year: int | None = None) -> QuerySet:
    qs = CreditRecord.objects.filter(company=company).select_related("case", "recorded_by")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-recorded_on", "-pk")


def record_queryset(*, user) -> QuerySet:
    """The credit records of the companies the user may read (404 for others)."""
    return CreditRecord.objects.filter(company__in=company_queryset(user=user).values("pk"))


def record_get(*, user, pk: int) -> CreditRecord:
    return scope.get_or_404(record_queryset(user=user).select_related("company", "case"), pk=pk)


def company_estates(company: Organization) -> QuerySet:
    """The estates the company serves or has served (its projects), and those it serves now."""
    return Estate.objects.filter(Q(property_company=company) | Q(property_projects__company=company)).distinct()


def _about(estates: QuerySet) -> Q:
    """Cases about one of the estates: registered on the estate, or on one of its houses."""
    ids = estates.values("pk")
    return Q(estate__in=ids) | Q(house__unit__building__estate__in=ids)


def _sent_to(company) -> Exists:
    return Exists(Assignment.objects.filter(case=OuterRef("pk"), department=company))


def complaint_cases(company: Organization) -> QuerySet:
    """Cases that may back a bad record: closed cases about an estate the company serves or served, dispatched to
    it (a complaint against a company is a case about its estate sent to it to handle)."""
    return (
        Case.objects.filter(_about(company_estates(company)), _sent_to(company), state=case_rules.CLOSED)
        .select_related("category")
        .order_by("-received_at", "-pk")
    )


def estate_area(estate: Estate) -> Decimal:
    """The estate's total building area from the registry: the sum of its houses' 建筑面积."""
    total = House.objects.filter(unit__building__estate=estate).aggregate(total=Sum("building_area"))["total"]
    return Decimal(total or 0)


def estates_for_projects(*, user) -> QuerySet:
    """The estates the user may place a project on: those of their region subtree."""
    return scope.within(Estate.objects.all(), scope.region_path(user), "region").select_related("property_company")


def check_region_reader(user) -> None:
    """The estates' 物业化 status and rates are the region offices' (companies read their own file only)."""
    if not roles.can(user, roles.PROPERTY, roles.READ_COMPANIES):
        raise PermissionDenied(_("只有区、街道、社区工作人员可以查看小区物业化情况"))


def estate_list(*, user, management: str = "") -> QuerySet:
    """The estates of the user's region with their 物业化 status and company, by community."""
    check_region_reader(user)
    qs = estates_for_projects(user=user).select_related("region")
    if management:
        qs = qs.filter(management=management)
    return qs.order_by("region__path", "name", "pk")


def estate_get(*, user, pk: int) -> Estate:
    return scope.get_or_404(estate_list(user=user), pk=pk)


# ---------------------------------------------------------------- public ranking


def ranking(*, year: int | None = None) -> list[dict]:
    """公布: every company's name, score and grade for the year, best first — nothing else (SPEC §5, 000 篇1:
    考评结果 … 予以公布)."""
    qs = with_score(Organization.objects.filter(kind=Organization.Kind.COMPANY), year or current_year())
    rows = qs.order_by("-score", "name", "pk").values("pk", "name", "score")
    return [{"name": r["name"], "score": rules.points(r["score"]), "grade": grade_of(r["score"])} for r in rows]


def grade_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(credit_scheme().grades, 0)
    for r in rows:
        counts[r["grade"]] += 1
    return counts


# ---------------------------------------------------------------- rates


def management_counts(path: str) -> dict[str, int]:
    """How many estates of the region (its path) have each 物业化 status, and all of them."""
    qs = Estate.objects.filter(scope.in_subtree("region", path))
    counts = dict(qs.order_by().values_list("management").annotate(n=Count("pk")))
    return {m: counts.get(m, 0) for m in Estate.Management.values} | {"all": sum(counts.values())}


def user_rates(*, user) -> dict:
    """The 物业化 figures of the user's region: `counts` by status (and all), `rate`, `statuses` as (value, label,
    count)."""
    check_region_reader(user)
    counts = management_counts(scope.region_path(user))
    return {
        "counts": counts,
        "rate": rules.percent(counts[Estate.Management.PROFESSIONAL], counts["all"]),
        "statuses": [(value, label, counts[value]) for value, label in Estate.Management.choices],
    }


def property_rate(path: str) -> Decimal | None:
    """物业化率: estates under professional management (专业物业) out of all estates of the region, in percent.
    自管 is not 物业化: 000 篇1 asks that estates able to be managed get a professional company."""
    counts = management_counts(path)
    return rules.percent(counts[Estate.Management.PROFESSIONAL], counts["all"])


def complaints(start: datetime, end: datetime) -> QuerySet:
    """Complaints against property companies: events received in [start, end) that were dispatched to a company
    (the lead of one of its dispatches), rejected and merged ones not counted."""
    to_company = Assignment.objects.filter(case=OuterRef("pk"), department__kind=Organization.Kind.COMPANY)
    return (
        Case.objects.filter(kind=case_rules.EVENT, received_at__gte=start, received_at__lt=end)
        .exclude(state__in=case_rules.NOT_COUNTED)
        .filter(Exists(to_company))
    )


def _served_houses() -> QuerySet:
    return House.objects.filter(unit__building__estate__management=Estate.Management.PROFESSIONAL)


def complaint_rate(path: str, start: datetime, end: datetime) -> dict:
    """投诉率 of the region: complaints against companies per 100 houses they serve there (件/百户), with its
    parts."""
    houses = _served_houses().filter(scope.in_subtree("unit__building__estate__region", path)).count()
    count = complaints(start, end).filter(scope.in_subtree("region", path)).count()
    return {"complaint_rate": rules.per_hundred(count, houses), "complaints": count, "houses": houses}


def company_complaint_rate(company: Organization, start: datetime, end: datetime) -> dict:
    """The same figure for one company: complaints about the estates it serves per 100 of their houses."""
    houses = _served_houses().filter(unit__building__estate__property_company=company).count()
    count = complaints(start, end).filter(_sent_to(company)).count()
    return {"complaint_rate": rules.per_hundred(count, houses), "complaints": count, "houses": houses}
