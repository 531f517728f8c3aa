"""物业监管 pages for staff under /property/."""

from django.urls import path

from . import views

app_name = "property"
urlpatterns = [
    path("", views.company_list, name="companies"),
    path("companies/<int:pk>/", views.company_file, name="company"),
    path("companies/<int:pk>/profile/", views.profile_save, name="profile"),
    path("companies/<int:pk>/managers/", views.manager_add, name="manager_add"),
    path("companies/<int:pk>/projects/", views.project_create, name="project_create"),
    path("companies/<int:pk>/records/", views.record_create, name="record_create"),
    path("records/<int:pk>/void/", views.record_void, name="record_void"),
    path("estates/", views.estate_list, name="estates"),
    path("estates/management/", views.estate_management, name="estate_management"),
]
