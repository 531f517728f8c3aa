"""The public check of a certificate under /verify/certificate/ (no login; a resident namespace too)."""

from django.urls import path

from . import public_views

app_name = "certificates_public"
urlpatterns = [
    path("", public_views.verify_form, name="form"),
    path("<str:code>/", public_views.verify, name="verify"),
]
