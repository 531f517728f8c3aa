"""居委会证明 pages for staff under /certificates/: the applications of the user's scope, the window's form, one
application with its evidence and the decision, the certificate's print view (A4), its .docx and revocation, and the
district's list of matters. Thin: the selectors read, the services write, as the API does."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.errors import DomainError, PermissionDenied
from linli.core.files import file_response
from linli.core.pages import error_text, forbidden, page_action
from linli.core.pagination import CappedPaginator

from . import rules, selectors, services
from .documents import certificate_docx, certificate_text
from .forms import IssueForm, MatterForm, RefuseForm, RevokeForm, WindowForm

PAGE_SIZE = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def viewer_page(view):
    """Pages of offices reading certificates (VIEW_CERTIFICATES); others are answered 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            selectors.check_viewer(request.user)
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, exc)

    return wrapper


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def verify_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("certificates_public:verify", args=[rules.shown_code(code)]))


@viewer_page
def application_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") if request.GET.get("state") in rules.STATES else None
    q = (request.GET.get("q") or "").strip()[:40]
    qs = selectors.application_list(user=request.user, state=state, q=q)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": rules.STATES, "q": q,
               "counts": selectors.counts(user=request.user),
               "may_take": selectors.issuing_communities(request.user).exists()}  # fmt: skip
    return render(request, "certificates/list.html", context)


def _window_matters(user):
    community = selectors.issuing_communities(user).first()
    district = selectors.district_of(community) if community else None
    return list(selectors.matters_of(district)) if district else []


@viewer_page
def window_apply(request: HttpRequest) -> HttpResponse:
    """窗口受理: the community enters a resident's application, scanning ID, 户口本 and evidence."""
    if not selectors.issuing_communities(request.user).exists():
        return forbidden(request, _("只有社区居委会可以受理证明申请"))
    matters = _window_matters(request.user)
    form = WindowForm(request.POST or None, request.FILES or None, matters=matters)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.window_apply(user=request.user, id_number=form.cleaned_data["id_number"],
                                        **form.service_fields())  # fmt: skip
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if app.state == rules.REFUSED:
                messages.error(request, _("不予出具：%(decision_note)s") % {"decision_note": app.decision_note})
            else:
                messages.success(request, _("申请已受理，请核实后出具或说明不予出具的理由"))
            return redirect("certificates:detail", app.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "certificates/window.html", {"form": form, "matters": matters}, status=status)


@viewer_page
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_get(user=request.user, pk=pk)
    may_issue = selectors.may_issue(request.user, app.community) and app.state == rules.SUBMITTED
    context = {
        "app": app, "evidence": list(selectors.evidence_of(app)), "kinds": rules.EVIDENCE,
        "certificate": selectors.certificate_of(app), "may_issue": may_issue,
        "issue_form": IssueForm(initial={"version": app.version, "statement": app.matter.wording if app.matter
                                         else ""}),
        "refuse_form": RefuseForm(initial={"version": app.version}),
    }  # fmt: skip
    return render(request, "certificates/detail.html", context)


@viewer_page
def evidence_file(request: HttpRequest, pk: int, evidence: int) -> HttpResponse:
    app = selectors.application_get(user=request.user, pk=pk)
    item = selectors.evidence_get(application=app, pk=evidence)
    return file_response(item.file, item.content_type, max_age=300)


@viewer_page
@require_POST
def application_issue(request: HttpRequest, pk: int) -> HttpResponse:
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写证明内容"))
        return redirect("certificates:detail", pk)
    try:
        cert = services.application_issue(user=request.user, application_id=pk, version=form.cleaned_data["version"],
                                          statement=form.cleaned_data["statement"])  # fmt: skip
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("certificates:detail", pk)
    messages.success(
        request, _("证明已出具，编号 %(serial)s。请打印后在盖章处加盖居委会印章") % {"serial": cert.serial}
    )
    return redirect("certificates:certificate", cert.pk)


@viewer_page
@require_POST
def application_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    form = RefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写不予出具的理由"))
        return redirect("certificates:detail", pk)

    def call() -> str:
        services.application_refuse(user=request.user, application_id=pk, version=form.cleaned_data["version"],
                                    note=form.cleaned_data["note"])  # fmt: skip
        return _("已决定不予出具，申请人可看到理由")

    return page_action(request, call, redirect("certificates:detail", pk))


@viewer_page
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as printed (A4), with its revocation form for the community that issued it."""
    cert = selectors.certificate_get(user=request.user, pk=pk)
    context = {"cert": cert, "text": certificate_text(cert), "verify_url": verify_url(request, cert.code),
               "may_revoke": selectors.may_issue(request.user, cert.community), "form": RevokeForm()}  # fmt: skip
    return render(request, "certificates/certificate.html", context)


@viewer_page
def certificate_document(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    content = certificate_docx(cert, verify_url(request, cert.code))
    return download(content, f"{cert.title}-{cert.serial}.docx", DOCX)


@viewer_page
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写作废原因"))
        return redirect("certificates:certificate", pk)

    def call() -> str:
        services.certificate_revoke(user=request.user, certificate_id=pk, reason=form.cleaned_data["reason"])
        return _("证明已作废，查验时将显示为已作废")

    return page_action(request, call, redirect("certificates:certificate", pk))


# ---------------------------------------------------------------- the list of matters
@viewer_page
def matters(request: HttpRequest) -> HttpResponse:
    districts = list(selectors.districts_seen(request.user).order_by("path")[:50])
    district = next((d for d in districts if str(d.pk) == request.GET.get("district")), districts[0] if districts
                    else None)  # fmt: skip
    rows = list(selectors.matter_list(user=request.user, district_id=district.pk)) if district else []
    context = {"districts": districts, "district": district, "rows": rows,
               "may_configure": bool(district) and selectors.may_configure(request.user, district)}  # fmt: skip
    return render(request, "certificates/matters.html", context)


@viewer_page
@require_POST
def matter_defaults(request: HttpRequest, district: int) -> HttpResponse:
    def call() -> str:
        added = services.matter_defaults(user=request.user, district_id=district)
        return _("已按默认清单补充%(added)s项") % {"added": added} if added else _("默认清单的事项均已在清单内")

    return page_action(request, call, redirect(f"{reverse('certificates:matters')}?district={district}"))


def _matter_form(request, form, save, district_id: int, title: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("证明事项清单已保存"))
            return redirect(f"{reverse('certificates:matters')}?district={district_id}")
    status = 400 if request.method == "POST" else 200
    return render(request, "certificates/matter_form.html", {"form": form, "title": title}, status=status)


@viewer_page
def matter_new(request: HttpRequest, district: int) -> HttpResponse:
    region = next((d for d in selectors.districts_seen(request.user) if d.pk == district), None)
    if region is None or not selectors.may_configure(request.user, region):
        return forbidden(request, _("您没有维护证明事项清单的权限"))
    form = MatterForm(request.POST or None)

    def save(data):
        return services.matter_create(user=request.user, district_id=district, name=data["name"], basis=data["basis"],
                                      wording=data["wording"], materials=data["materials"])  # fmt: skip

    return _matter_form(request, form, save, district, _("增加证明事项"))


@viewer_page
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get(user=request.user, pk=pk)
    if not selectors.may_configure(request.user, matter.district):
        return forbidden(request, _("您没有维护证明事项清单的权限"))
    initial = {f: getattr(matter, f) for f in ("version", "name", "basis", "wording", "materials", "active")}
    form = MatterForm(request.POST or None, initial=initial)

    def save(data):
        return services.matter_update(user=request.user, matter_id=pk, **{k: data[k] for k in initial})

    return _matter_form(request, form, save, matter.district_id, _("修改证明事项：%(name)s") % {"name": matter.name})
