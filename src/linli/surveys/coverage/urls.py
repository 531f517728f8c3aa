"""覆盖核查 pages under /surveys/coverage/."""

from django.urls import path

from . import views

app_name = "survey_coverage"
urlpatterns = [
    path("<int:survey_id>/", views.coverage, name="list"),
    path("<int:survey_id>/compute/", views.compute, name="compute"),
    path("<int:survey_id>/findings/<int:pk>/apply/", views.apply, name="apply"),
    path("<int:survey_id>/findings/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
