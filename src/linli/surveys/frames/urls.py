"""Pages of a survey's frame and draws under /surveys/frames/."""

from django.urls import path

from . import views

app_name = "survey_frames"
urlpatterns = [
    path("<int:survey_id>/", views.frame, name="frame"),
    path("<int:survey_id>/freeze/", views.freeze, name="freeze"),
    path("<int:survey_id>/draws/<slug:purpose>/", views.draw, name="draw"),
    path("<int:survey_id>/draws/<slug:purpose>/new/", views.draw_create, name="draw_create"),
    path("<int:survey_id>/draws/<slug:purpose>/verify/", views.draw, {"check": True}, name="verify"),
    path("<int:survey_id>/draws/<slug:purpose>/population.csv", views.population, name="population"),
]
