"""居委会证明 in the portal (/portal/certificates/): a resident bound to their registry person applies on a phone
(the district's list, the requesting body and its article, use and reason, photos of ID, 户口本 and evidence, the
promise of truth), follows their applications, withdraws one still waiting, and shows an issued certificate."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError
from linli.core.pages import page_action
from linli.residents.access import resident_required
from linli.residents.selectors import resident_of

from .. import rules, selectors, services
from ..documents import certificate_text
from ..forms import ApplicationForm
from ..views import verify_url


def _matters(resident) -> list:
    if resident.person_id is None or resident.person.grid_id is None:
        return []
    community = selectors.community_of(resident.person.grid)
    district = selectors.district_of(community) if community else None
    return list(selectors.matters_of(district)) if district else []


@resident_required
def home(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request.user)
    apps = list(selectors.own_applications(resident.person_id)[:50])
    return render(request, "certificates/portal/home.html",
                  {"apps": apps, "bound": resident.person_id is not None})  # fmt: skip


@resident_required
def apply(request: HttpRequest) -> HttpResponse:
    resident = resident_of(request.user)
    if resident.person_id is None:
        return render(request, "certificates/portal/home.html", {"apps": [], "bound": False})
    matters = _matters(resident)
    form = ApplicationForm(request.POST or None, request.FILES or None, matters=matters)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.portal_apply(resident=resident, **form.service_fields())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if app.state == rules.REFUSED:
                messages.error(request, _("该证明社区居委会不能出具，原因见下方"))
            else:
                messages.success(request, _("申请已提交，社区居委会核实后出具，请留意办理进度"))
            return redirect("certificates_portal:detail", app.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "certificates/portal/apply.html", {"form": form, "matters": matters}, status=status)


@resident_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_of(request.user)
    app = selectors.own_application(person_id=resident.person_id, pk=pk)
    cert = selectors.certificate_of(app) if app.state == rules.ISSUED else None
    context = {"app": app, "cert": cert, "text": certificate_text(cert) if cert else None,
               "verify_url": verify_url(request, cert.code) if cert else ""}  # fmt: skip
    return render(request, "certificates/portal/detail.html", context)


@resident_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    resident = resident_of(request.user)

    def call() -> str:
        services.portal_withdraw(resident=resident, application_id=pk)
        return _("申请已撤回")

    return page_action(request, call, redirect("certificates_portal:detail", pk))
