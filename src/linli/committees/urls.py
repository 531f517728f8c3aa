"""业主委员会 and 红色物业 pages under /committees/, and the estate page."""

from django.urls import path

from . import views

app_name = "committees"
urlpatterns = [
    path("", views.committee_list, name="list"),
    path("new/", views.committee_create, name="create"),
    path("<int:pk>/", views.committee_detail, name="detail"),
    path("<int:pk>/edit/", views.committee_edit, name="edit"),
    path("party/", views.party, name="party"),
    path("party/new/", views.party_create, name="party_create"),
    path("party/cross-offices/new/", views.cross_office_create, name="cross_office_create"),
    path("estates/<int:pk>/", views.estate, name="estate"),
]
