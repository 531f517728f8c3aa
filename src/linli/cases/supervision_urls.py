"""Supervision (督办) and indicator pages under /cases/supervision/."""

from django.urls import path  # noqa: F401

app_name = "supervision"
urlpatterns = []
