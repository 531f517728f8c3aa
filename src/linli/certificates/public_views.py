"""The public check of a certificate under /verify/certificate/ (no login; a resident namespace too): valid,
revoked or unknown, what was certified, the name masked, no ID number. Wrong codes are counted per address (429)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from linli.core.clientip import client_ip
from linli.core.errors import TooManyRequests

from . import rules, services
from .forms import VerifyForm


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = rules.normalize_code(form.cleaned_data["code"])
        return redirect("certificates_public:verify", rules.shown_code(code) if code else "-")
    return render(request, "certificates/verify.html", {"form": form}, status=400 if request.GET else 200)


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    try:
        result = services.verify(ip=client_ip(request), code=code)
    except TooManyRequests as exc:
        return render(request, "certificates/verify.html", {"form": VerifyForm(), "error": exc.detail}, status=429)
    cert = result.certificate
    context = {"result": result, "form": VerifyForm(), "code": rules.shown_code(cert.code) if cert else code[:30]}
    return render(request, "certificates/verify.html", context, status=200 if cert else 404)
