from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "cityops.alerts"
    label = "alerts"
    verbose_name = _("Alarms and warnings")
    _wired = False

    def ready(self) -> None:
        # Wiring only: rules are evaluated on the ingest's hooks (in the worker that stored the
        # readings), critical and major alarms are mailed to the operators on duty, and the
        # console map gets a layer of active alarms.
        from cityops.alerts.rules import evaluator
        from cityops.alerts.services import camera_event_receive
        from cityops.alerts.tasks import enqueue_alarm_notifications
        from cityops.console.layers import MapLayer, map_layer_add
        from cityops.monitoring.hooks import (
            camera_event_register,
            readings_stored_register,
            sensor_seen_register,
        )
        from cityops.platform.events import subscribe

        readings_stored_register(evaluator.readings_stored)
        sensor_seen_register(evaluator.sensors_seen)
        camera_event_register(camera_event_receive)
        if not AlertsConfig._wired:
            subscribe(enqueue_alarm_notifications)
            AlertsConfig._wired = True
        map_layer_add(
            MapLayer(
                key="alarms",
                label=_("Active alarms"),
                url_name="console:alerts:alarm_points",
                shown=True,
            )
        )
