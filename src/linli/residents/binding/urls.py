"""The portal's pages of 实名认证, 我的家庭 and 更正申请: included into the portal's namespace (residents/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("binding/", views.binding, name="binding"),
    path("binding/withdraw/", views.binding_withdraw, name="binding_withdraw"),
    path("binding/unbind/", views.unbind, name="unbind"),
    path("household/", views.household, name="household"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/new/", views.correction_new, name="correction_new"),
    path("corrections/<int:pk>/", views.correction, name="correction"),
    path("corrections/<int:pk>/withdraw/", views.correction_withdraw, name="correction_withdraw"),
]
