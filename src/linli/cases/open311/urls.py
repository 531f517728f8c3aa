"""Open311 GeoReport v2 under /open311/v2/ (docs/open311.md). Every resource ends in .xml or .json."""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>\w+)$", views.discovery, name="open311-discovery"),
    re_path(r"^services\.(?P<fmt>\w+)$", views.service_list, name="open311-services"),
    re_path(r"^services/(?P<code>[^/]+)\.(?P<fmt>\w+)$", views.service_definition, name="open311-service"),
    re_path(r"^requests\.(?P<fmt>\w+)$", views.requests, name="open311-requests"),
    re_path(r"^requests/(?P<number>[^/]+)\.(?P<fmt>\w+)$", views.request_detail, name="open311-request"),
]
