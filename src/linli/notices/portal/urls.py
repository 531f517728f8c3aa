"""社区公告 pages of the portal, under /portal/notices/ (a resident namespace: roles.RESIDENT_NAMESPACES)."""

from django.urls import path

from . import views

app_name = "notices_portal"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_detail, name="detail"),
]
