from django.urls import path

from . import views

app_name = "campaign_documents"

urlpatterns = [
    path("<int:plan_id>/plan.docx", views.plan_docx, name="plan_docx"),
    path("<int:plan_id>/tasks.xlsx", views.tasks_xlsx, name="tasks_xlsx"),
    path("<int:plan_id>/tasks/import", views.tasks_import, name="tasks_import"),
]
