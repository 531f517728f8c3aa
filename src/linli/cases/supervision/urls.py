"""Supervision (督办) and indicator pages under /cases/supervision/."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.overdue, name="overdue"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/export/", views.indicators_export, name="indicators_export"),
]
