from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("persons/", views.person_list_view, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/validate/", views.person_validate, name="person_validate"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("persons/<int:pk>/tags/", views.person_tag_add, name="person_tag_add"),
    path("persons/<int:pk>/tags/<slug:code>/remove/", views.person_tag_remove, name="person_tag_remove"),
    path("households/", views.household_list_view, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("houses/", views.house_list_view, name="house_list"),
]
