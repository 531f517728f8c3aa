"""业主大会表决 pages for staff under /votes/."""

from django.urls import path

from . import views

app_name = "votes"
urlpatterns = [
    path("", views.vote_list, name="list"),
    path("new/", views.vote_create, name="create"),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/open/", views.vote_action, {"action": "open"}, name="open"),
    path("<int:pk>/close/", views.vote_action, {"action": "close"}, name="close"),
    path("<int:pk>/publish/", views.vote_action, {"action": "publish"}, name="publish"),
    path("<int:pk>/ballots/", views.ballot_enter, name="ballot"),
    path("estates/<int:pk>/clause/", views.clause_edit, name="clause"),
]
