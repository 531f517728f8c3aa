"""议事协商 pages of the portal, under /portal/consultation/ (a resident namespace: roles.RESIDENT_NAMESPACES)."""

from django.urls import path

from . import views

app_name = "consultation_portal"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_submit, name="propose"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/comment/", views.comment_post, name="comment"),
    path("<int:pk>/vote/", views.vote, name="vote"),
]
