from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/report.xlsx", views.report, name="report"),
]
