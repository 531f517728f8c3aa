"""Hours' pages for staff under /volunteers/hours/."""

from django.urls import path

from . import views

app_name = "volunteer_hours"
urlpatterns = [
    path("stars/", views.stars, name="stars"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("export.xlsx", views.export, name="export"),
    path("volunteers/<int:volunteer>/certificates/", views.certificate_issue, name="issue"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("certificates/<int:pk>/docx/", views.certificate_document, name="certificate_docx"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
]
