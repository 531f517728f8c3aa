"""The offices' review queue of residents' bindings and corrections (/residents/reviews/)."""

from django.urls import path

from . import views

app_name = "residents_review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bindings/<int:pk>/", views.binding_review, name="binding"),
    path("corrections/<int:pk>/", views.correction_review, name="correction"),
]
