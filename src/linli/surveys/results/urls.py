"""进度与结果 pages under /surveys/results/."""

from django.urls import path

from . import views

app_name = "survey_results"
urlpatterns = [
    path("<int:survey_id>/", views.dashboard, name="dashboard"),
    path("<int:survey_id>/export/", views.export, name="export"),
    path("<int:survey_id>/data/<slug:role>/", views.data, name="data"),
    path("<int:survey_id>/codebook/<slug:role>/", views.codebook, name="codebook"),
]
