"""社区减负 pages: the two lists and work-access applications, under /burden/."""

from django.urls import path

from . import rules, views

app_name = "access"
urlpatterns = [
    path("", views.lists, name="lists"),
    path("lists/history/", views.history, name="history"),
    path("lists/<int:district>/defaults/", views.load_defaults, name="defaults"),
    path("lists/<int:district>/new/", views.item_new, name="item_new"),
    path("lists/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("lists/items/<int:pk>/retire/", views.item_toggle, {"active": False}, name="item_retire"),
    path("lists/items/<int:pk>/restore/", views.item_toggle, {"active": True}, name="item_restore"),
    path("access/", views.applications, name="applications"),
    path("access/new/", views.apply, name="apply"),
    path("access/<int:pk>/", views.detail, name="detail"),
    path("access/<int:pk>/edit/", views.edit, name="edit"),
    path("access/<int:pk>/documents/", views.document_add, name="document_add"),
    path("access/<int:pk>/documents/<int:doc>/", views.document, name="document"),
    path("access/<int:pk>/documents/<int:doc>/remove/", views.document_remove, name="document_remove"),
    *(path(f"access/<int:pk>/{s}/", views.step, {"step": s}, name=s) for s in rules.STEP_LABELS),
]
