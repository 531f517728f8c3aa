"""入户登记 pages under /surveys/entry/, made for an enumerator's phone."""

from django.urls import path

from . import views

app_name = "survey_entry"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:survey_id>/areas/<int:area_id>/", views.area, name="area"),
    path("<int:survey_id>/returns/", views.returns, name="returns"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("units/<int:unit_id>/state/", views.unit_state, name="state"),
]
