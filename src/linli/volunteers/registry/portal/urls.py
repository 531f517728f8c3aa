"""志愿服务 pages of the portal, under /portal/volunteer/ (a resident namespace: roles.RESIDENT_NAMESPACES)."""

from django.urls import path

from . import views

app_name = "volunteers_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("skills/", views.skills, name="skills"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
]
