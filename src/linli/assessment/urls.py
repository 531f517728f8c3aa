"""Assessment pages under /assessment/."""

from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.home, name="home"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/results/", views.results, name="results"),
    path("rounds/<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("units/<int:pk>/<str:stage>/", views.sheet, name="sheet"),
    path("units/<int:pk>/<str:stage>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("units/<int:pk>/evidence/<int:eid>/", views.evidence_file, name="evidence"),
]
