"""调查与普查 pages under /surveys/; each part of a survey has its own (/surveys/forms/, /surveys/areas/ …)."""

from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/start/", views.survey_action, {"action": "start"}, name="start"),
    path("<int:pk>/finish/", views.survey_action, {"action": "finish"}, name="finish"),
]
