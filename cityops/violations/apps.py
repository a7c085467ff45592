from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ViolationsConfig(AppConfig):
    name = "cityops.violations"
    label = "violations"
    verbose_name = _("Camera violations")

    def ready(self) -> None:
        # Wiring only: cameras' violation events over MQTT come to the same door as the API's.
        from cityops.monitoring.hooks import violation_event_register
        from cityops.violations.services import detection_receive_json

        violation_event_register(detection_receive_json)
