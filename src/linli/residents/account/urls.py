from django.urls import path

from . import views

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.account_delete, name="account_delete"),
]
