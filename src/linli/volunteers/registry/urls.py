"""志愿服务 pages for staff under /volunteers/: volunteers and teams (the hours' pages are under /volunteers/hours/)."""

from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_register, name="register"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/skills/", views.volunteer_skills, name="skills"),
    path("<int:pk>/state/", views.volunteer_state, name="state"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/members/", views.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:volunteer>/remove/", views.member_remove, name="member_remove"),
]
