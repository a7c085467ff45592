"""The citizen portal's views: parse the request, call one domain function, render."""

from cityops.portal.views.accounts import (
    account_delete,
    data_export,
    my_follows,
    my_reports,
    preferences,
    sign_in,
    sign_out,
    sign_up,
)
from cityops.portal.views.pages import attachment, healthz, home, privacy, report_points
from cityops.portal.views.reports import (
    report_detail,
    report_follow,
    report_new,
    report_rate,
    report_reopen,
    report_suggest,
    report_unfollow,
    reports_similar,
)

__all__ = [
    "account_delete",
    "attachment",
    "data_export",
    "healthz",
    "home",
    "my_follows",
    "my_reports",
    "preferences",
    "privacy",
    "report_detail",
    "report_follow",
    "report_new",
    "report_points",
    "report_rate",
    "report_reopen",
    "report_suggest",
    "report_unfollow",
    "reports_similar",
    "sign_in",
    "sign_out",
    "sign_up",
]
