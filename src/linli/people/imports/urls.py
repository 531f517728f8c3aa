from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/report.xlsx", views.report, name="report"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/file.xlsx", views.export_file, name="export_file"),
]
