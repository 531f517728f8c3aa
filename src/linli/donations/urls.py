"""公益捐助 pages for staff under /donations/."""

from django.urls import path

from . import views

app_name = "donations"
urlpatterns = [
    path("", views.drive_list, name="list"),
    path("new/", views.drive_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.drive_detail, name="detail"),
    path("<int:pk>/edit/", views.drive_edit, name="edit"),
    path("<int:pk>/receipts/new/", views.drive_add, {"what": "receipt"}, name="receipt"),
    path("<int:pk>/pledges/new/", views.drive_add, {"what": "pledge"}, name="pledge"),
    path("<int:pk>/beneficiaries/new/", views.drive_add, {"what": "beneficiary"}, name="beneficiary"),
    path("<int:pk>/disbursements/new/", views.drive_add, {"what": "disbursement"}, name="disbursement"),
    path("<int:pk>/close/", views.drive_close, name="close"),
    path("<int:pk>/report/", views.drive_report, name="report"),
    path("<int:pk>/report.xlsx", views.drive_report_xlsx, name="report_xlsx"),
    path("disbursements/<int:pk>/approve/", views.decide, {"approve": True}, name="approve"),
    path("disbursements/<int:pk>/refuse/", views.decide, {"approve": False}, name="refuse"),
    path("disbursements/<int:pk>/evidence/", views.evidence, name="evidence"),
]
