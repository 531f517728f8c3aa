"""The residents' pages: report a problem, get a tracking code (查询码), follow it, rate the result. No account;
the tracking code is the only credential, so unknown and malformed codes get the same answer and wrong guesses
from one address are counted."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.clientip import client_ip
from linli.core.errors import DomainError, TooManyRequests, ValidationFailed
from linli.core.files import file_response

from .. import rules, services
from ..models import Case
from ..selectors import PHOTO_MAX_AGE
from . import selectors
from .forms import (
    FIELD_ALIASES,
    HONEYPOT,
    TIME_LIMIT,
    TOO_FAST,
    Challenge,
    FormRefused,
    RatingForm,
    ReportForm,
    TrackForm,
    seconds_left,
)
from .rules import rating_answer, well_formed
from .services import (
    photo_by_token,
    photo_token,
    photos_add,
    photos_held,
    report_file,
    report_limit_check,
    tracking_lookup,
)

DONE_SESSION_KEY = "linli.report.done"


def spaced(code: str) -> str:
    """ABCDE23456 → "ABCDE 23456": easier to copy down and read over the phone."""
    return f"{code[:5]} {code[5:]}"


# ---------------------------------------------------------------- report


def _render_report(request, form: ReportForm, *, status=200, error: str = "", photos=(), fresh=False):
    challenge, token = form.drawing(fresh=fresh) if form.is_bound else (Challenge.new(), "")
    token = token or challenge.token()
    context = {
        "form": form,
        "error": error,
        "challenge": challenge,
        "token": token,
        # The answer typed stays while the question does (a form coming back with its own token).
        "answer": form.data.get("answer", "") if form.is_bound and challenge is form.challenge else "",
        "time_limit": TIME_LIMIT,
        "seconds_left": seconds_left(token),
        "photos": [(photo_token(p), p) for p in photos],
        # Chosen files the page could not keep (its token was unreadable): the browser never sends them back.
        "photos_lost": form.is_bound and form.challenge is None and bool(request.FILES.getlist("photos")),
        "max_photos": services.MAX_PHOTOS,
        "honeypot": HONEYPOT,
        "signed_in": bool(form.account_phone),
    }
    return render(request, "cases/public/report.html", context, status=status)


def _posted_photos(request, form: ReportForm, ip: str, held: list) -> list:
    """The files posted with the form (a browser without JavaScript), kept for it like the ones chosen on the
    page; refused files are named on the form."""
    if form.challenge is None:
        return []
    added, errors = photos_add(
        files=request.FILES.getlist("photos"), ip=ip, form_id=form.challenge.token_id, held=len(held)
    )
    form.add_domain_errors(errors)
    return added


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """A signed-in resident reports with their account's phone (shown, not editable) and the case is linked to the
    account; anyone else leaves a phone of their choice."""
    phone = selectors.account_phone(request.user)
    if request.method == "GET":
        return _render_report(request, ReportForm(account_phone=phone))
    form = ReportForm(request.POST, request.FILES, account_phone=phone)
    form.is_valid()
    if form.honeypot_filled:
        # Said vaguely on purpose. The hidden field is not drawn again, so a person whose browser filled it
        # in just sends again.
        return _render_report(request, form, status=400, error=_("提交未成功，请核对内容后重新提交。"))
    ip = client_ip(request)
    # Photos kept from earlier rounds or chosen on the page, by their tokens.
    tokens = request.POST.getlist("photo")
    photos = photos_held(tokens=tokens, form_id=form.challenge.token_id) if form.challenge else []
    try:
        report_limit_check(ip=ip, phone=phone or request.POST.get("reporter_phone", ""))
        photos += _posted_photos(request, form, ip, photos)
        if not form.is_valid() or form.too_fast:
            # The report's own checks too, so that every field's error shows in this one round; "too fast" is said
            # last, to a form with nothing else to correct.
            services.case_check(channel=Case.Channel.ONLINE, data=form.service_data())
            if form.is_valid():
                form.add_error(None, TOO_FAST)
            return _render_report(request, form, status=400, photos=photos)
        case = report_file(
            data=form.service_data(), photos=photos, ip=ip, token_id=form.challenge.token_id,
            account=request.user if phone else None,
        )  # fmt: skip
    except ValidationFailed as exc:
        # A field the form has refused already is not named twice.
        form.add_domain_errors([e for e in exc.errors if FIELD_ALIASES.get(e.field, e.field) not in form.errors])
        return _render_report(request, form, status=400, photos=photos)
    except TooManyRequests as exc:  # reports sent at the same moment are counted one after another
        return _render_report(request, form, status=429, error=exc.detail, photos=photos)
    except DomainError as exc:  # the form has filed its report already: a new form, without the old one's photos
        return _render_report(request, form, status=400, error=exc.detail, fresh=True)
    request.session[DONE_SESSION_KEY] = {"number": case.number, "code": case.tracking_code}
    return redirect("report:done")


@require_POST
def photo_add(request: HttpRequest) -> JsonResponse:
    """One photo chosen on the form, kept at once: its token and address to show it, or what is wrong with it."""
    try:
        form_id = Challenge.from_token(request.POST.get("token", "")).token_id
    except FormRefused as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    files = request.FILES.getlist("photo")
    if len(files) != 1:
        return JsonResponse({"detail": _("请选择一张照片")}, status=400)
    held = len(photos_held(tokens=request.POST.getlist("photo"), form_id=form_id))
    try:
        kept, errors = photos_add(files=files, ip=client_ip(request), form_id=form_id, held=held)
    except DomainError as exc:
        return JsonResponse({"detail": exc.detail}, status=exc.status)
    if errors:
        return JsonResponse({"detail": errors[0].message}, status=400)
    token = photo_token(kept[0])
    return JsonResponse({"token": token, "url": reverse("report:photo", args=[token])}, status=201)


@require_GET
def photo(request: HttpRequest, token: str) -> HttpResponse:
    """A kept photo, shown again on the form; the token is the only way to it."""
    kept = photo_by_token(token)
    if kept is None:
        raise Http404(_("照片已过期"))
    return file_response(kept.file, kept.content_type, max_age=600)


@require_GET
def done(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get(DONE_SESSION_KEY)
    if not submitted:
        return redirect("report:report")
    code = submitted["code"]
    context = {
        "number": submitted["number"], "code": code, "code_spaced": spaced(code),
        "signed_in": bool(selectors.account_phone(request.user)),
    }  # fmt: skip
    return render(request, "cases/public/done.html", context)


@require_GET
@cache_control(public=True, max_age=600)
def territory(request: HttpRequest) -> JsonResponse:
    """Community and grid boundaries, the base layer of the report map."""
    return JsonResponse(selectors.territory_geojson())


# ---------------------------------------------------------------- tracking


def _not_found(request) -> HttpResponse:
    form = TrackForm()
    return render(request, "cases/public/track_start.html", {"form": form, "not_found": True}, status=404)


def _too_many(request, exc: TooManyRequests) -> HttpResponse:
    return render(request, "cases/public/track_start.html", {"form": TrackForm(), "error": exc.detail}, status=429)


@require_GET
def track_start(request: HttpRequest) -> HttpResponse:
    if "code" not in request.GET:
        return render(request, "cases/public/track_start.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "cases/public/track_start.html", {"form": form}, status=400)
    return redirect("report:track", code=form.cleaned_data["code"])


def _lookup(request, code: str) -> tuple[Case | None, HttpResponse | None]:
    """(case, None), or (None, the answer to send): 429 while the address is blocked, 404 for a wrong code,
    a redirect to the canonical address for a code typed in lower case or with spaces."""
    normal = rules.normalise_tracking_code(code)
    if normal != code and well_formed(normal):
        return None, redirect("report:track", code=normal)
    try:
        case = tracking_lookup(ip=client_ip(request), code=normal)
    except TooManyRequests as exc:
        return None, _too_many(request, exc)
    if case is None:
        return None, _not_found(request)
    return case, None


def _render_track(request, case: Case, *, rating_form: RatingForm | None = None, status=200) -> HttpResponse:
    progress = selectors.progress(case=case)
    context = {
        **progress,
        "code_spaced": spaced(case.tracking_code),
        "rating_form": (rating_form or RatingForm()) if progress["rateable"] else None,
        "rate_url": reverse("report:rate", args=[case.tracking_code]),
        "photos": [(reverse("report:track_photo", args=[case.tracking_code, a.pk]), a) for a in progress["photos"]],
    }
    return render(request, "cases/public/track.html", context, status=status)


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    case, answer = _lookup(request, code)
    if answer is not None:
        return answer
    return _render_track(request, case)


@require_GET
def track_photo(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A photo the reporter sent, to the holder of the tracking code (wrong codes are counted as on the page)."""
    case, answer = _lookup(request, code)
    if answer is not None:
        return answer
    photo = selectors.reporter_photos(case=case).filter(pk=pk).first()
    if photo is None:
        raise Http404(_("照片不存在"))
    return file_response(photo.file, photo.content_type, max_age=PHOTO_MAX_AGE)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    case, answer = _lookup(request, code)
    if answer is not None:
        return answer
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_track(request, case, rating_form=form, status=400)
    reopens = case.reopen_count
    try:
        case = services.public_rate(
            tracking_code=case.tracking_code, rating=form.cleaned_data["rating"], note=form.cleaned_data["note"]
        )
    except ValidationFailed as exc:
        form.add_domain_errors(exc.errors)
        return _render_track(request, case, rating_form=form, status=400)
    except DomainError as exc:  # rated meanwhile, or no longer closed
        messages.error(request, exc.detail)
        return redirect(reverse("report:track", kwargs={"code": case.tracking_code}))
    level, text = rating_answer(rating=case.rating, reopened=case.reopen_count > reopens)
    messages.add_message(request, getattr(messages, level.upper()), text)
    return redirect(reverse("report:track", kwargs={"code": case.tracking_code}))
