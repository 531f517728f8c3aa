"""The public check of a certificate under /verify/volunteer/ (no login; a resident namespace too)."""

from django.urls import path

from . import views

app_name = "volunteers_public"
urlpatterns = [
    path("", views.verify_form, name="form"),
    path("<str:code>/", views.verify, name="verify"),
]
