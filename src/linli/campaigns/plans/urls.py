from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_create, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/issue/", views.plan_issue, name="issue"),
    path("<int:pk>/finish/", views.plan_finish, name="finish"),
    path("<int:pk>/targets/<int:tid>/report/", views.target_report, name="target_report"),
    path("<int:pk>/tasks/", views.task_create, name="task_create"),
    path("<int:pk>/tasks/<int:tid>/", views.task_edit, name="task_edit"),
    path("<int:pk>/tasks/<int:tid>/move/", views.task_move, name="task_move"),
    path("<int:pk>/tasks/<int:tid>/delete/", views.task_delete, name="task_delete"),
]
