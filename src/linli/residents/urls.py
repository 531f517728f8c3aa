from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", include("linli.residents.reports.urls")),
    path("messages/", include("linli.residents.messages.urls")),
]
