from django.urls import path

from . import views

app_name = "volunteer_stats"
urlpatterns = [path("", views.overview, name="overview")]
