from django.contrib import admin
from django.urls import include, path

from cityops.accounts.admin_sign_in import TEMPLATE, AdminSignInForm
from cityops.api.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", include("cityops.open311.urls")),
    path("webhooks/", include("cityops.webhooks.urls")),
    path("console/", include("cityops.console.urls")),
    path("agency/", include("cityops.agency.urls")),
    path("dashboard/", include("cityops.dashboard.urls")),
    path("warnings/", include("cityops.alerts.public_urls")),
    path("transit/", include("cityops.transit.public_urls")),
    path("violations/", include("cityops.violations.public_urls")),  # the notice's QR code
    path("services/", include("cityops.services.public_urls")),  # the desks' rating QR codes
    path("tourist/", include("cityops.tourism.public_urls")),  # tourist help (no account)
    path("planning/", include("cityops.planning.public_urls")),  # planning lookup
    path("ogc/", include("cityops.planning.ogc_urls")),  # OGC API - Features of the layers
    path("online/", include("cityops.online.public_urls")),  # online public services
    path("payments/", include("cityops.payments.public_urls")),  # gateways' IPN, receipts
    path("", include("cityops.dashboard.public_urls")),
    path("air/", include("cityops.monitoring.urls")),
    path("", include("cityops.portal.urls")),
]

admin.site.site_header = "CityOps"
admin.site.site_title = "CityOps"
# Administrators only: the form and page tell other staff where they sign in.
admin.site.login_form = AdminSignInForm
admin.site.login_template = TEMPLATE
