"""整改台账 under /campaigns/rectification/."""

from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.create, name="create"),
    path("export/", views.export, name="export"),
]
