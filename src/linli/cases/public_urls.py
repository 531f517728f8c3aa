"""The residents' reporting pages under /report/: no account needed."""

from django.urls import path

from . import public_views

app_name = "report"
urlpatterns = [
    path("", public_views.report, name="report"),
    path("done/", public_views.done, name="done"),
    path("map.json", public_views.territory, name="territory"),
    path("track/", public_views.track_start, name="track_start"),
    path("track/<str:code>/", public_views.track, name="track"),
    path("track/<str:code>/rate/", public_views.rate, name="rate"),
]
