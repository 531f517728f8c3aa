"""/portal/login/: phone → 获取验证码 → code → 登录. Two steps of one form, without JavaScript: the second carries
the phone in a hidden field, its default button signs in and 重新获取 sends another code."""

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.accounts import roles
from linli.core.clientip import client_ip
from linli.core.errors import DomainError, TooManyRequests
from linli.core.pii import mask_phone
from linli.core.validators import normalize_phone

from ..access import next_page
from . import rules
from .forms import LoginForm
from .services import code_request, code_sign_in

BACKEND = "django.contrib.auth.backends.ModelBackend"


def login_page(request: HttpRequest) -> HttpResponse:
    if roles.is_resident(request.user):
        return redirect(next_page(request))
    context = {"next": next_page(request), "ttl_minutes": int(rules.CODE_TTL.total_seconds() // 60), "step": "phone"}
    if request.method != "POST":
        return render(request, "residents/login.html", {**context, "form": LoginForm()})
    form, status = LoginForm(request.POST), 200
    sending = request.POST.get("action") == "send"
    if form.is_valid():
        phone, code = form.cleaned_data["phone"], form.cleaned_data["code"]
        try:
            if sending:
                code_request(phone=phone, ip=client_ip(request))
                context["sent_to"] = mask_phone(normalize_phone(phone))
            else:
                resident = code_sign_in(phone=phone, code=code, ip=client_ip(request), request=request)
                login(request, resident.user, backend=BACKEND)
                return redirect(context["next"])
        except DomainError as exc:
            form.add_domain_error(exc)
            status = 429 if isinstance(exc, TooManyRequests) else exc.status
    else:
        status = 400
    if "phone" not in form.errors and (not sending or "sent_to" in context or status == 429):
        context["step"] = "code"
        context["masked"] = mask_phone(normalize_phone(form.data.get("phone", "")))
    return render(request, "residents/login.html", {**context, "form": form}, status=status)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")
