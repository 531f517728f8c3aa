"""调查表 pages under /surveys/forms/."""

from django.urls import path

from . import views

app_name = "survey_forms"
urlpatterns = [
    path("", views.form_list, name="list"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/edit/", views.version_edit, name="edit"),
    path("versions/<int:pk>/copy/", views.version_copy, name="copy"),
    path("versions/<int:pk>/publish/", views.version_publish, name="publish"),
    path("surveys/<int:survey_id>/", views.survey_forms, name="survey"),
]
