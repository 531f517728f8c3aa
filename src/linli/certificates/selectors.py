"""Who sees which matter, application and certificate: every page and endpoint of the app reads through here.

Offices with VIEW_CERTIFICATES see the applications and certificates of their region's subtree (a community its own,
a street its communities, the district all); the community's committee (ISSUE_CERTIFICATES over its own office's
subtree) decides them. A district's list of matters is read by everyone in it; CONFIGURE_CERTIFICATES keeps it. A
resident sees their own applications (`own_applications`); anyone checks a code (`verify`)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from linli.accounts import roles, scope
from linli.core.errors import PermissionDenied
from linli.core.pii import mask_name
from linli.regions.rules import COMMUNITY, DISTRICT

from . import rules
from .models import Application, Certificate, Evidence, Matter

NO_VIEW = _("您没有查看居委会证明的权限")


def _path(user) -> str | None:
    return scope.region_path(user) if roles.can(user, roles.CERTIFICATES, roles.VIEW_CERTIFICATES) else None


def check_viewer(user) -> None:
    if not roles.can(user, roles.CERTIFICATES, roles.VIEW_CERTIFICATES):
        raise PermissionDenied(NO_VIEW)


def may_issue(user, community) -> bool:
    """Whether the user's office holds the seal over `community` (ISSUE_CERTIFICATES over its own subtree)."""
    return roles.can(user, roles.CERTIFICATES, roles.ISSUE_CERTIFICATES) and scope.office_covers(user, community)


def may_configure(user, district) -> bool:
    return roles.can(user, roles.CERTIFICATES, roles.CONFIGURE_CERTIFICATES) and (
        scope.office_path(user) == "" or scope.contains(scope.office_path(user), district.path)
    )


# ---------------------------------------------------------------- regions
def district_of(region):
    """The district a region lies in (itself for a district)."""
    if region.level <= DISTRICT:
        return region
    return scope.ancestors_or_self(region.path).filter(level=DISTRICT).first()


def community_of(grid):
    """The community a person's grid lies in (the grid itself when the person is filed at community level)."""
    if grid.level <= COMMUNITY:
        return grid
    return scope.ancestors_or_self(grid.path).filter(level=COMMUNITY).first()


def districts_seen(user) -> QuerySet:
    """The districts whose list the user reads: those of their scope and the one above their office."""
    path = scope.region_path(user)
    if path is None or not roles.can(user, roles.CERTIFICATES, roles.VIEW_CERTIFICATES):
        return scope.subtree(None)
    if path == "":
        return scope.subtree("").filter(level=DISTRICT)
    return scope.ancestors_or_self(path).filter(level=DISTRICT) | scope.subtree(path).filter(level=DISTRICT)


def issuing_communities(user) -> QuerySet:
    """The communities whose seal the user's office holds: the choices of the window's form."""
    if not roles.can(user, roles.CERTIFICATES, roles.ISSUE_CERTIFICATES):
        return scope.subtree(None)
    return scope.office_regions(user).filter(level=COMMUNITY)


# ---------------------------------------------------------------- matters
def matters_of(district, *, active_only: bool = True) -> QuerySet:
    qs = Matter.objects.filter(district=district)
    return qs.filter(active=True) if active_only else qs


def matter_list(*, user, district_id: int) -> QuerySet:
    check_viewer(user)
    district = scope.get_or_404(districts_seen(user), pk=district_id)
    return matters_of(district, active_only=False).annotate(issued=Count("applications", filter=Q(
        applications__state=rules.ISSUED)))  # fmt: skip


def matter_get(*, user, pk: int) -> Matter:
    check_viewer(user)
    return scope.get_or_404(Matter.objects.filter(district__in=districts_seen(user)).select_related("district"), pk=pk)


# ---------------------------------------------------------------- applications
def application_queryset(user) -> QuerySet:
    return scope.within(Application.objects.all(), _path(user), "community")


def application_list(*, user, state: str | None = None, community_id: int | None = None, q: str = "") -> QuerySet:
    check_viewer(user)
    qs = application_queryset(user)
    if state in rules.STATES:
        qs = qs.filter(state=state)
    if community_id:
        qs = qs.filter(community_id=community_id)
    if q:
        qs = qs.filter(Q(person__name=q) | Q(certificate__serial=q) | Q(asked__contains=q))
    return qs.select_related("community", "person", "matter", "certificate")


def application_get(*, user, pk: int) -> Application:
    check_viewer(user)
    qs = application_queryset(user).select_related("community", "person", "matter", "decided_by", "created_by")
    return scope.get_or_404(qs, pk=pk)


def evidence_of(application) -> QuerySet:
    return Evidence.objects.filter(application=application)


def evidence_get(*, application, pk: int) -> Evidence:
    return scope.get_or_404(evidence_of(application), pk=pk)


def certificate_of(application) -> Certificate | None:
    return Certificate.objects.filter(application=application).select_related("issued_by", "revoked_by").first()


def certificate_queryset(user) -> QuerySet:
    return scope.within(Certificate.objects.all(), _path(user), "community")


def certificate_get(*, user, pk: int) -> Certificate:
    check_viewer(user)
    qs = certificate_queryset(user).select_related("community", "application__person", "application__matter")
    return scope.get_or_404(qs, pk=pk)


def counts(*, user) -> dict[str, int]:
    """How many applications of the user's scope are in each state (one query)."""
    rows = application_queryset(user).values("state").annotate(n=Count("id"))
    found = {r["state"]: r["n"] for r in rows}
    return {state: found.get(state, 0) for state in rules.STATES}


# ---------------------------------------------------------------- the resident's own
def own_applications(person_id: int | None) -> QuerySet:
    if person_id is None:
        return Application.objects.none()
    return Application.objects.filter(person_id=person_id).select_related("matter", "community", "certificate")


def own_application(*, person_id: int | None, pk: int) -> Application:
    app = own_applications(person_id).filter(pk=pk).first()
    if app is None:
        raise Http404(scope.NOT_FOUND)
    return app


# ---------------------------------------------------------------- the public check
@dataclass(frozen=True)
class Verification:
    verdict: str
    certificate: Certificate | None

    @property
    def label(self) -> str:
        return rules.VERDICTS[self.verdict]

    @property
    def masked_name(self) -> str:
        return mask_name(self.certificate.application.person.name) if self.certificate else ""


def by_code(code: str | None) -> Certificate | None:
    if not code:
        return None
    qs = Certificate.objects.select_related("community", "application__person")
    return qs.filter(code=code).first()


def verification(cert: Certificate | None) -> Verification:
    return Verification(rules.verdict(cert is not None, cert is not None and cert.revoked_at is not None), cert)
