"""居委会证明 pages for staff under /certificates/."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("window/", views.window_apply, name="window"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/evidence/<int:evidence>/", views.evidence_file, name="evidence"),
    path("<int:pk>/issue/", views.application_issue, name="issue"),
    path("<int:pk>/refuse/", views.application_refuse, name="refuse"),
    path("issued/<int:pk>/", views.certificate, name="certificate"),
    path("issued/<int:pk>/docx/", views.certificate_document, name="certificate_docx"),
    path("issued/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("matters/", views.matters, name="matters"),
    path("matters/district/<int:district>/defaults/", views.matter_defaults, name="matter_defaults"),
    path("matters/district/<int:district>/new/", views.matter_new, name="matter_new"),
    path("matters/<int:pk>/", views.matter_edit, name="matter_edit"),
]
