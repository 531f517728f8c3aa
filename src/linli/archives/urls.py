"""电子台账 pages for staff under /archives/."""

from django.urls import path

from . import views

app_name = "archives"
urlpatterns = [
    path("", views.boxes, name="boxes"),
    path("boxes/new/", views.box_create, name="box_create"),
    path("boxes/<int:pk>/", views.box_detail, name="box"),
    path("boxes/<int:pk>/edit/", views.box_edit, name="box_edit"),
    path("boxes/<int:pk>/delete/", views.box_delete, name="box_delete"),
    path("boxes/<int:pk>/export.zip", views.box_export, name="box_export"),
    path("boxes/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/file/", views.item_file, name="item_file"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
    path("evidence/attach/", views.evidence_attach, name="evidence_attach"),
    path("evidence/<int:pk>/", views.evidence_item, name="evidence_item"),
    path("evidence/<int:pk>/detach/", views.evidence_detach, name="evidence_detach"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
]
