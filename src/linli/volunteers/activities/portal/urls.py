"""志愿活动 pages of the portal, under /portal/activities/ (a resident namespace: roles.RESIDENT_NAMESPACES)."""

from django.urls import path

from . import views

app_name = "activities_portal"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("signups/<int:pk>/withdraw/", views.signup_withdraw, name="withdraw"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("organised/", views.organised, name="organised"),
    path("organised/new/", views.organised_new, name="organised_new"),
    path("organised/<int:pk>/", views.organised_detail, name="organised_detail"),
    path("organised/<int:pk>/checkin/<int:signup>/", views.organised_checkin, name="organised_checkin"),
    path("organised/<int:pk>/hours/", views.organised_hours, name="organised_hours"),
    path("organised/<int:pk>/credits/<int:credit>/", views.organised_correct, name="organised_correct"),
    path("organised/<int:pk>/renew/", views.organised_renew, name="organised_renew"),
]
