"""交办社区的工作与减负报表 under /burden/work/."""

from django.urls import path

from . import views

app_name = "burden_work"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report, {"xlsx": True}, name="report_xlsx"),
]
