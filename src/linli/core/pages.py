"""What every app's pages answer the same way: a refusal, and a domain error as one line of text."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linli.core.errors import DomainError, PermissionDenied
from linli.core.forms import version_or_none


def forbidden(request: HttpRequest, reason: str | DomainError) -> HttpResponse:
    detail = reason.detail if isinstance(reason, DomainError) else reason
    return render(request, "403.html", {"detail": detail}, status=403)


def form_submit(request: HttpRequest, form, save: Callable, done: str, after: Callable) -> HttpResponse | None:
    """A valid posted form through its service (`save`): its success message and `after(saved)`, 403 when the user
    may not, or None (the page is shown again) with the form's errors or the service's refusal beside the fields."""
    if not form.is_valid():
        return None
    try:
        saved = save()
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
    messages.success(request, done)
    return after(saved)


def form_page(request: HttpRequest, form, save: Callable, done: str, after: Callable, template: str,
              **context) -> HttpResponse:  # fmt: skip
    """A form page: on a POST, `form_submit`; otherwise, or when the form comes back, the page (400 after a POST)."""
    if request.method == "POST" and (answer := form_submit(request, form, save, done, after)) is not None:
        return answer
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


def error_text(exc: DomainError) -> str:
    return "；".join(e.message for e in exc.errors) if exc.errors else exc.detail


def button_action(request: HttpRequest, service: Callable, done: str, back: HttpResponse, **ids) -> HttpResponse:
    """A state change from a page's button (open, close, publish …): the service with the version the page showed,
    then back to the page with its success message or its refusal; 403 when the user may not."""

    def call() -> str:
        service(user=request.user, version=version_or_none(request.POST.get("version")), **ids)
        return done

    return page_action(request, call, back)


def page_action(request: HttpRequest, call: Callable[[], str], back: HttpResponse) -> HttpResponse:
    """A page's action as button_action answers it, for any call: `call` runs the service and answers the success
    message; back to the page with it or with the refusal; 403 when the user may not."""
    try:
        done = call()
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return back
