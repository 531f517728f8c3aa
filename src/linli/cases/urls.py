from django.urls import path

from . import views
from .duplicates import views as duplicates

app_name = "cases"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("all/", views.case_list_view, name="list"),
    path("todo/", views.todo, name="todo"),
    path("new/", views.case_create, name="create"),
    path("houses/", views.house_search, name="house_search"),
    path("similar/", duplicates.similar, name="similar"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.case_act, name="act"),
    path("<int:pk>/next/", views.next_case, name="next"),
    path("<int:pk>/register-dispatch/", views.register_dispatch, name="register_dispatch"),
    path("<int:pk>/attachments/<int:aid>/", views.attachment, name="attachment"),
    path("m/", views.mobile_home, name="mobile"),
    path("m/report/", views.mobile_report, name="mobile_report"),
    path("m/<int:pk>/", views.mobile_case, name="mobile_case"),
]
