from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/add/", views.add_child, name="add_child"),
    path("<int:pk>/staff/", views.staff_add, name="staff_add"),
]
