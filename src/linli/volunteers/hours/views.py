"""Hours' pages for staff under /volunteers/hours/: the district's 星级标准, the leaderboards, issuing, printing
(.docx too) and revoking certificates, the export of hours; and the public check of a certificate's code under
/verify/volunteer/ (no login: valid, revoked or unknown, the name masked)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts import scope
from linli.core.errors import DomainError, PermissionDenied
from linli.core.pages import error_text, forbidden

from .. import rules as vocabulary
from .. import selectors as scoped
from ..registry.views import viewer_page
from . import rules, selectors, services
from .api import DOCX, XLSX, download
from .documents import certificate_docx, certificate_text
from .forms import RevokeForm, StarsForm, VerifyForm


@viewer_page
def stars(request: HttpRequest) -> HttpResponse:
    settable = set(selectors.star_districts(request.user).values_list("pk", flat=True))
    rows = []
    for district in selectors.districts_seen(request.user).order_by("path")[:50]:
        scheme = selectors.scheme_for(district)
        thresholds = list(scheme.thresholds) if scheme else list(vocabulary.DEFAULT_STARS)
        form = None
        if district.pk in settable:
            initial = {"version": scheme.version if scheme else 0}
            initial.update({f"star{i + 1}": t for i, t in enumerate(thresholds)})
            bound = request.method == "POST" and request.POST.get("district") == str(district.pk)
            form = StarsForm(request.POST if bound else None, initial=initial)
            if bound and form.is_valid():
                try:
                    services.star_scheme_set(user=request.user, region_id=district.pk, thresholds=form.thresholds(),
                                             version=form.cleaned_data["version"])  # fmt: skip
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, _("%(name)s的星级标准已保存") % {"name": district.name})
                    return redirect("volunteer_hours:stars")
        levels = [("★" * (i + 1), t) for i, t in enumerate(thresholds)]
        rows.append({"district": district, "scheme": scheme, "levels": levels, "form": form})
    if request.method == "POST" and not any(r["form"] for r in rows):
        return forbidden(request, _("您没有设置志愿者星级标准的权限"))
    return render(request, "volunteers/hours/stars.html", {"rows": rows, "default": vocabulary.DEFAULT_STARS},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@viewer_page
def leaderboard(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period") if request.GET.get("period") in rules.PERIODS else rules.MONTH
    regions = scope.user_regions(request.user).filter(level__lte=5).order_by("path")[:300]
    region = next((r for r in regions if str(r.pk) == request.GET.get("region")), None)
    rows = selectors.leaderboard(user=request.user, period=period, region_id=region.pk if region else None)
    context = {"rows": rows, "period": period, "periods": rules.PERIODS, "period_label": rules.PERIODS[period],
               "regions": regions, "region": region}  # fmt: skip
    return render(request, "volunteers/hours/leaderboard.html", context)


@viewer_page
def export(request: HttpRequest) -> HttpResponse:
    content = services.hours_export(user=request.user, request=request)
    return download(
        content, _("志愿服务时长-%(localdate)s.xlsx") % {"localdate": format(timezone.localdate(), "%Y%m%d")}, XLSX
    )


@viewer_page
@require_POST
def certificate_issue(request: HttpRequest, volunteer: int) -> HttpResponse:
    try:
        cert = services.certificate_issue(user=request.user, volunteer_id=volunteer)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("volunteers:detail", volunteer)
    messages.success(request, _("时长证明已出具，编号 %(serial)s") % {"serial": cert.serial})
    return redirect("volunteer_hours:certificate", cert.pk)


def _verify_url(request, cert) -> str:
    return request.build_absolute_uri(reverse("volunteers_public:verify", args=[cert.code]))


@viewer_page
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as printed (A4, the print view), with its revocation form for those who keep the file."""
    cert = selectors.certificate_get(user=request.user, pk=pk)
    context = {"cert": cert, "text": certificate_text(cert), "verify_url": _verify_url(request, cert),
               "manages": scoped.manages(request.user, cert.volunteer.region), "form": RevokeForm()}  # fmt: skip
    return render(request, "volunteers/hours/certificate.html", context)


@viewer_page
def certificate_document(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    return download(
        certificate_docx(cert, _verify_url(request, cert)),
        _("志愿服务时长证明-%(serial)s.docx") % {"serial": cert.serial},
        DOCX,
    )


@viewer_page
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写作废原因"))
        return redirect("volunteer_hours:certificate", pk)
    try:
        services.certificate_revoke(user=request.user, certificate_id=pk, reason=form.cleaned_data["reason"])
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("证明已作废，查验时将显示为已作废"))
    return redirect("volunteer_hours:certificate", pk)


# ---------------------------------------------------------------- public
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = rules.normalize_code(form.cleaned_data["code"]) or form.cleaned_data["code"].strip() or "-"
        return redirect("volunteers_public:verify", code)
    return render(request, "volunteers/public/verify.html", {"form": form})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    result = selectors.verify(code)
    context = {"result": result, "form": VerifyForm(), "code": rules.shown_code(result.certificate.code)
               if result.certificate else code[:30]}  # fmt: skip
    return render(request, "volunteers/public/verify.html", context, status=200 if result.certificate else 404)
