from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cityops.reports"
    label = "reports"
    verbose_name = _("Field reports")
    _wired = False

    def ready(self) -> None:
        # Wiring only: followers' and agency leads' emails hang on the workflow's events, and
        # reports take part in a person's data export and account deletion.
        from cityops.accounts.personal_data import personal_data_holder_register
        from cityops.platform.events import subscribe
        from cityops.reports.selectors import personal_data_of
        from cityops.reports.services import personal_data_erase
        from cityops.reports.tasks import (
            enqueue_escalation_notifications,
            enqueue_follower_notifications,
        )

        if not ReportsConfig._wired:
            subscribe(enqueue_follower_notifications)
            subscribe(enqueue_escalation_notifications)
            ReportsConfig._wired = True
        personal_data_holder_register(
            name="reports", export=personal_data_of, erase=personal_data_erase
        )
