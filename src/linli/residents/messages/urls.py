"""消息, included in the portal's namespace under /portal/messages/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="messages"),
    path("<int:pk>/read/", views.message_read, name="message_read"),
    path("read-all/", views.read_all, name="messages_read_all"),
    path("preferences/", views.preference, name="message_preference"),
]
