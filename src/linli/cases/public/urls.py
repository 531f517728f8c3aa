"""The residents' reporting pages under /report/: no account needed."""

from django.urls import path

from ..duplicates.views import similar_public
from . import views

app_name = "report"
urlpatterns = [
    path("", views.report, name="report"),
    path("done/", views.done, name="done"),
    path("map.json", views.territory, name="territory"),
    path("similar/", similar_public, name="similar"),
    path("track/", views.track_start, name="track_start"),
    path("track/<str:code>/", views.track, name="track"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
]
