"""质量控制 pages under /surveys/quality/."""

from django.urls import path

from . import views

app_name = "survey_quality"
urlpatterns = [
    path("<int:survey_id>/", views.overview, name="overview"),
    path("responses/<int:pk>/", views.response_page, name="response"),
    path("responses/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("responses/<int:pk>/correct/", views.correct, name="correct"),
]
