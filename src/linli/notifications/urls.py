from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.message_read, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preference, name="preference"),
    path("outbox/", views.outbox, name="outbox"),
]
