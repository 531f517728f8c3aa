"""The archive's search page for staff under /archives/search/."""

from django.urls import path

from . import views

app_name = "archives_search"
urlpatterns = [path("", views.search, name="search")]
