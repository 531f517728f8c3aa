"""考核通报 pages under /bulletins/."""

from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("<int:pk>/", views.bulletin_detail, name="detail"),
    path("<int:pk>/bulletin.docx", views.bulletin_file, {"kind": "docx"}, name="docx"),
    path("<int:pk>/bulletin.xlsx", views.bulletin_file, {"kind": "xlsx"}, name="xlsx"),
    path("schemes/<int:region>/", views.scheme_edit, name="scheme"),
]
