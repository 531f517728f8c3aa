"""议事协商 pages for staff under /consultation/."""

from django.urls import path

from . import views

app_name = "consultation"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/decide/", views.proposal_decide, name="decide"),
    path("<int:pk>/comment/", views.comment_post, name="comment"),
    path("<int:pk>/poll/", views.poll_open, name="poll"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="hide"),
    path("polls/<int:pk>/close/", views.poll_action, {"action": "close"}, name="close"),
    path("polls/<int:pk>/publish/", views.poll_action, {"action": "publish"}, name="publish"),
]
