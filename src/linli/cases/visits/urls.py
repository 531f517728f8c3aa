"""Return visit pages under /cases/visits/."""

from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [path("", views.calls, name="calls")]
