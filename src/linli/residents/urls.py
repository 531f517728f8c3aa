from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("linli.residents.login.urls")),
    path("", include("linli.residents.account.urls")),
    # 实名认证, 我的家庭, 更正申请
    path("", include("linli.residents.binding.urls")),
    path("reports/", include("linli.residents.reports.urls")),
    path("messages/", include("linli.residents.messages.urls")),
]
