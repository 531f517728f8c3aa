"""Open311 GeoReport v2 under /open311/v2/."""

from django.urls import path  # noqa: F401

urlpatterns = []
