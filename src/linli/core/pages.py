"""What every app's pages answer the same way: a refusal, and a domain error as one line of text."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.errors import DomainError


def forbidden(request: HttpRequest, reason: str | DomainError) -> HttpResponse:
    detail = reason.detail if isinstance(reason, DomainError) else reason
    return render(request, "403.html", {"detail": detail}, status=403)


def error_text(exc: DomainError) -> str:
    return "；".join(e.message for e in exc.errors) if exc.errors else exc.detail
