"""居委会证明 pages of the portal, under /portal/certificates/ (a resident namespace: roles.RESIDENT_NAMESPACES)."""

from django.urls import path

from . import views

app_name = "certificates_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
