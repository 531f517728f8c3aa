"""The residents' reporting pages under /report/: no account needed."""

from django.urls import path  # noqa: F401

app_name = "report"
urlpatterns = []
