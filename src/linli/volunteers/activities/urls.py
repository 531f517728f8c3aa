"""志愿服务活动 pages for staff under /volunteers/activities/."""

from django.urls import path

from . import views

app_name = "volunteer_activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/qr/", views.activity_qr, name="qr"),
    path("<int:pk>/publish/", views.activity_publish, name="publish"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/checkin/renew/", views.checkin_renew, name="renew"),
    path("<int:pk>/checkin/<int:signup>/", views.checkin, name="checkin"),
    path("<int:pk>/hours/", views.hours_confirm, name="hours"),
    path("<int:pk>/credits/<int:credit>/", views.credit_correct, name="correct"),
]
