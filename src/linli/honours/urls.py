"""挂牌管理 under /honours/."""

from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path("", views.honour_list, name="list"),
    path("apply/", views.honour_apply, name="apply"),
    path("map/", views.honour_map, name="map"),
    path("<int:pk>/", views.honour_detail, name="detail"),
    path("<int:pk>/act/", views.honour_act, name="act"),
]
