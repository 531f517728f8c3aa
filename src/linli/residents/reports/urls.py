"""我的反映, included in the portal's namespace under /portal/reports/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_list, name="reports"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/rate/", views.report_rate, name="report_rate"),
    path("<int:pk>/photos/<int:photo>/", views.report_photo, name="report_photo"),
]
