"""公益捐助公示 under /donations/public/: no login."""

from django.urls import path

from . import views

app_name = "donations_public"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_ledger, name="ledger"),
]
