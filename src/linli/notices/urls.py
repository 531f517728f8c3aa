"""社区公告 pages for staff under /notices/."""

from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/publish/", views.notice_action, {"action": "publish"}, name="publish"),
    path("<int:pk>/withdraw/", views.notice_action, {"action": "withdraw"}, name="withdraw"),
]
