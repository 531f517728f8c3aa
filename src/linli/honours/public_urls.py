"""公示 under /public/honours/: no login."""

from django.urls import path

from . import views

app_name = "honours_public"

urlpatterns = [path("", views.public_list, name="list")]
