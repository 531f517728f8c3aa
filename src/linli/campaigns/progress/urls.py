from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("task-units/<int:pk>/report/", views.report, name="report"),
    path("reports/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/late/", views.late, name="late"),
]
