from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .api import api
from .core.catalogue import catalogue

admin.site.site_header = admin.site.site_title = _("邻里 · 系统管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("jsi18n/", catalogue, name="javascript-catalog"),
    path("", include("linli.accounts.urls")),
    path("", include("linli.people.urls")),
    path("imports/", include("linli.people.imports.urls")),
    path("regions/", include("linli.regions.urls")),
    path("stats/", include("linli.stats.urls")),
    path("workbench/", include("linli.workbench.urls")),
    path("notifications/", include("linli.notifications.urls")),
    path("cases/supervision/", include("linli.cases.supervision.urls")),
    path("cases/visits/", include("linli.cases.visits.urls")),
    path("cases/", include("linli.cases.urls")),
    path("report/", include("linli.cases.public.urls")),
    path("portal/notices/", include("linli.notices.portal.urls")),
    path("portal/votes/", include("linli.votes.portal.urls")),
    path("portal/consultation/", include("linli.consultation.portal.urls")),
    path("portal/", include("linli.residents.urls")),
    path("residents/reviews/", include("linli.residents.binding.review_urls")),
    path("open311/v2/", include("linli.cases.open311.urls")),
    path("campaigns/progress/", include("linli.campaigns.progress.urls")),
    path("campaigns/rectification/", include("linli.campaigns.rectification.urls")),
    path("campaigns/", include("linli.campaigns.documents.urls")),
    path("campaigns/", include("linli.campaigns.plans.urls")),
    path("assessment/", include("linli.assessment.urls")),
    path("honours/", include("linli.honours.urls")),
    path("bulletins/", include("linli.bulletins.urls")),
    path("notices/", include("linli.notices.urls")),
    path("committees/", include("linli.committees.urls")),
    path("votes/", include("linli.votes.urls")),
    path("consultation/", include("linli.consultation.urls")),
    path("surveys/forms/", include("linli.surveys.forms.urls")),
    path("surveys/entry/", include("linli.surveys.entry.urls")),
    path("surveys/quality/", include("linli.surveys.quality.urls")),
    path("surveys/results/", include("linli.surveys.results.urls")),
    path("public/honours/", include("linli.honours.public_urls")),
    path("property/", include("linli.property.urls")),
    path("public/property/", include("linli.property.public_urls")),
    path("surveys/frames/", include("linli.surveys.frames.urls")),
    # ---- surveys: 普查小区
    path("surveys/areas/", include("linli.surveys.areas.urls")),
    # ---- surveys: coverage
    path("surveys/coverage/", include("linli.surveys.coverage.urls")),
    # ---- surveys: the projects' pages; each part of a survey adds its own line (surveys/<part>/)
    path("surveys/", include("linli.surveys.urls")),
    # ---- donation drives (公益捐助) and their public ledgers
    path("donations/public/", include("linli.donations.public_urls")),
    path("donations/", include("linli.donations.urls")),
    # ---- volunteers: statistics
    path("volunteers/stats/", include("linli.volunteers.stats.urls")),
    # ---- volunteers: activities
    path("volunteers/activities/", include("linli.volunteers.activities.urls")),
    path("portal/activities/", include("linli.volunteers.activities.portal.urls")),
    # ---- volunteers A: volunteers and teams, hours, stars, certificates (its ids are whole numbers, so the other
    # parts' /volunteers/<part>/ stay theirs); the portal's 志愿服务 and the public check of a certificate
    path("volunteers/hours/", include("linli.volunteers.hours.urls")),
    path("volunteers/", include("linli.volunteers.registry.urls")),
    path("portal/volunteer/", include("linli.volunteers.registry.portal.urls")),
    path("verify/volunteer/", include("linli.volunteers.hours.public_urls")),
    # 电子台账: boxes, items, categories, export, evidence, and the full-text search
    path("archives/search/", include("linli.archives.search.urls")),
    path("archives/", include("linli.archives.urls")),
    # 居委会出具证明, the portal's applications and the public check of a code
    path("certificates/", include("linli.certificates.urls")),
    path("portal/certificates/", include("linli.certificates.portal.urls")),
    path("verify/certificate/", include("linli.certificates.public_urls")),
    # 社区减负: work given to communities and the burden report; the two lists and work-access applications
    path("burden/work/", include("linli.burden.work.urls")),
    path("burden/", include("linli.burden.access.urls")),
]

handler400 = "linli.core.errorpages.bad_request"
handler403 = "linli.core.errorpages.permission_denied"
handler404 = "linli.core.errorpages.page_not_found"
handler500 = "linli.core.errorpages.server_error"
