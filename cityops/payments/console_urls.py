"""The console's payments, included from ``cityops/console/urls.py`` at ``payments/``
(namespace ``console:payments``)."""

from django.urls import path

from cityops.payments import console_views as views

app_name = "payments"
urlpatterns = [
    path("", views.payments, name="payments"),
    path("statement", views.statement, name="statement"),
    path("<int:pk>/", views.payment, name="payment"),
    path("<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/refund", views.refund, name="refund"),
    path("<int:pk>/confirm-transfer", views.confirm_transfer, name="confirm_transfer"),
]
