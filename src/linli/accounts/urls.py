from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("account/", views.PasswordChangeView.as_view(), name="account"),
    path("account/logout-all/", views.logout_all, name="logout_all"),
    path("session/keep/", views.session_keep, name="session_keep"),
    path("text-size/", views.text_size, name="text_size"),
]
