"""挂牌管理 pages (staff) and the public list (公示, no login). Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from linli.accounts.roles import (
    APPLICANT,
    DECIDER,
    HONOURS,
    REVIEWER,
    can,
    capabilities,
)
from linli.core.errors import DomainError, PermissionDenied, ValidationFailed
from linli.core.pages import forbidden
from linli.regions.models import Region
from linli.regions.selectors import region_list

from . import rules, selectors, services
from .forms import ApplyForm, FilterForm

PAGE_SIZE = 20
PUBLIC_PAGE_SIZE = 50


# ---------------------------------------------------------------- map


def _centre(boundary) -> tuple[float, float] | None:
    """(lat, lng) of a GeoJSON polygon's outer ring, as the mean of its corners: good enough for a marker."""
    try:
        ring = boundary["coordinates"][0]
        return sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring)
    except (TypeError, KeyError, IndexError, ZeroDivisionError):
        return None


def map_points(honours, *, public: bool) -> list[dict]:
    """Markers for honours with a place: an estate's point, or the middle of a community's boundary."""
    points = []
    for h in honours:
        if h.estate_id and h.estate.latitude is not None:
            lat, lng = float(h.estate.latitude), float(h.estate.longitude)
        elif h.community_id and (centre := _centre(h.community.boundary)):
            lat, lng = centre
        else:
            continue
        points.append({
            "lat": lat, "lng": lng, "name": h.unit_name, "type": h.honour_type.name, "status": h.status,
            "number": h.number, "reason": h.revocation_reason,
            "url": "" if public else reverse("honours:detail", args=[h.pk]),
        })  # fmt: skip
    return points


MAP_LIMIT = 1000


# ---------------------------------------------------------------- staff pages


@login_required
def honour_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    f = selectors.HonourFilter(**form.cleaned_data) if form.is_valid() else selectors.HonourFilter()
    qs = selectors.honour_list(user=request.user, filters=f).order_by("status", "-applied_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    caps = capabilities(request.user, HONOURS)
    pending = None
    if caps & {REVIEWER, DECIDER}:
        waiting = rules.APPLIED if REVIEWER in caps else rules.REVIEWED
        pending = selectors.honour_queryset(user=request.user).filter(status=waiting).count()
    context = {"form": form, "page": page, "can_apply": APPLICANT in caps, "pending": pending}
    return render(request, "honours/list.html", context)


@login_required
def honour_apply(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, HONOURS, APPLICANT):
        return forbidden(request, "只有社区工作人员或小区物业服务企业可以申报挂牌。")
    form = ApplyForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
            try:
                honour = services.honour_apply(user=user, data=data, evidence=form.cleaned_data.get("evidence"))
            except PermissionDenied as exc:
                return forbidden(request, exc.detail)
            except ValidationFailed as exc:
                form.add_domain_errors(exc.errors)
            except DomainError as exc:
                form.add_error(None, exc.detail)
                status = exc.status
            else:
                messages.success(request, f"已提交「{honour.honour_type.name}」申报，等待街道初审")
                return redirect("honours:detail", honour.pk)
    return render(request, "honours/apply.html", {"form": form}, status=status)


@login_required
def honour_detail(request: HttpRequest, pk: int, *, status: int = 200, error: str = "") -> HttpResponse:
    honour = selectors.honour_get(user=request.user, pk=pk)
    context = {
        "h": honour,
        "actions": selectors.actions_for(user=request.user, honour=honour),
        "error": error,
        "current": rules.is_current(honour.status, honour.valid_until, timezone.localdate()),
    }
    return render(request, "honours/detail.html", context, status=status)


@login_required
def honour_act(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("honours:detail", pk)
    action = request.POST.get("action", "")
    version = request.POST.get("version", "")
    try:
        honour = services.honour_act(
            user=request.user, pk=pk, action=action, version=int(version) if version.isdecimal() else None,
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc.detail)
    except DomainError as exc:
        message = "；".join(e.message for e in exc.errors) or exc.detail
        return honour_detail(request, pk, status=exc.status, error=message)
    messages.success(request, f"{honour.unit_name}「{honour.honour_type.name}」：{rules.STEPS[action].label}")
    return redirect("honours:detail", pk)


@login_required
def honour_map(request: HttpRequest) -> HttpResponse:
    qs = selectors.honour_list(user=request.user).filter(status__in=(rules.GRANTED, rules.REVOKED))
    points = map_points(qs.order_by("-id")[:MAP_LIMIT], public=False)
    outlines = community_outlines(region_list(user=request.user, level=Region.Level.COMMUNITY))
    return render(request, "honours/map.html", {"points": points, "outlines": outlines, "public": False})


def community_outlines(communities) -> dict:
    """The communities' boundaries under the markers: without a tile server they are the only landmarks."""
    features = [
        {"type": "Feature", "geometry": c.boundary, "properties": {"name": c.name}} for c in communities if c.boundary
    ]
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------- public


def public_list(request: HttpRequest) -> HttpResponse:
    """公示: the plates on the wall by community, the ones taken down with the reason and date, and the map."""
    current = selectors.public_current()
    page = Paginator(current, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    revoked = Paginator(selectors.public_revoked(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("revoked_page"))
    points = map_points([*page.object_list, *revoked.object_list], public=True)
    outlines = community_outlines(Region.objects.filter(level=Region.Level.COMMUNITY).only("name", "boundary"))
    context = {"page": page, "revoked": revoked, "points": points, "outlines": outlines, "public": True}
    return render(request, "honours/public.html", context)
