"""普查小区 pages under /surveys/areas/<survey_id>/."""

from django.urls import path

from . import views

app_name = "survey_areas"
urlpatterns = [
    path("<int:survey_id>/", views.area_list, name="list"),
    path("<int:survey_id>/map/", views.area_map, name="map"),
    path("<int:survey_id>/propose/", views.propose, name="propose"),
    path("<int:survey_id>/new/", views.area_create, name="create"),
    path("<int:survey_id>/<int:area_id>/", views.area_detail, name="detail"),
    path("<int:survey_id>/<int:area_id>/rename/", views.area_rename, name="rename"),
    path("<int:survey_id>/<int:area_id>/delete/", views.area_delete, name="delete"),
    path("<int:survey_id>/<int:area_id>/move/", views.building_move, name="move"),
    path("<int:survey_id>/<int:area_id>/remove/", views.building_remove, name="remove"),
    path("<int:survey_id>/<int:area_id>/enumerators/", views.enumerator_assign, name="assign"),
    path("<int:survey_id>/<int:area_id>/enumerators/remove/", views.enumerator_remove, name="unassign"),
]
