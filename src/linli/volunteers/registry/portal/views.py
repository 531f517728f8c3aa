"""志愿服务 in the portal (/portal/volunteer/): a resident bound to a registry person registers as a volunteer
(agreeing to the volunteers' notice), then sees their volunteer card (hours, stars, hours to the next star), edits
their skills and availability, reads their hours and their certificates (and prints one)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.errors import DomainError
from linli.residents.access import resident_required
from linli.residents.selectors import resident_of

from ... import rules as vocabulary
from ... import selectors as scoped
from ...hours import selectors as hours
from ...hours.documents import certificate_text
from .. import rules, services
from ..forms import PortalRegisterForm, SkillsForm


@resident_required
def home(request: HttpRequest) -> HttpResponse:
    """My volunteer card, or the registration form for a resident who is not (yet) a volunteer."""
    resident = resident_of(request.user)
    volunteer = scoped.own_volunteer(request.user)
    if volunteer is None:
        form = PortalRegisterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.portal_register(resident=resident, **form.cleaned_data)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("注册成功，欢迎加入志愿者队伍"))
                return redirect("volunteers_portal:home")
        context = {"form": form, "bound": resident.person_id is not None, "notice": rules.NOTICE_VERSION}
        return render(request, "volunteers/portal/register.html", context,
                      status=400 if request.method == "POST" else 200)  # fmt: skip
    context = {
        "v": volunteer,
        "card": hours.card(volunteer),
        "credits": hours.history(volunteer)[:20],
        "certificates": hours.certificates_of(volunteer)[:10],
        "skills": rules.labels(volunteer.skills, vocabulary.SKILLS),
        "availability": rules.labels(volunteer.availability, vocabulary.AVAILABILITY),
    }
    return render(request, "volunteers/portal/card.html", context)


@resident_required
def skills(request: HttpRequest) -> HttpResponse:
    volunteer = scoped.own_volunteer(request.user)
    if volunteer is None:
        return redirect("volunteers_portal:home")
    initial = {"version": volunteer.version, "skills": volunteer.skills, "availability": volunteer.availability}
    form = SkillsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_update(resident=resident_of(request.user), **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("volunteers_portal:home")
    return render(request, "volunteers/portal/skills.html", {"form": form},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@resident_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = scoped.own_volunteer(request.user)
    if volunteer is None:
        raise Http404
    cert = hours.own_certificate(volunteer=volunteer, pk=pk)
    url = request.build_absolute_uri(reverse("volunteers_public:verify", args=[cert.code]))
    return render(request, "volunteers/portal/certificate.html",
                  {"cert": cert, "text": certificate_text(cert), "verify_url": url})  # fmt: skip
