"""诚信评价公布 under /public/property/: no login."""

from django.urls import path

from . import views

app_name = "property_public"
urlpatterns = [path("", views.ranking, name="ranking")]
