from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    name = "cityops.transit"
    label = "transit"
    verbose_name = _("Public transport")

    def ready(self) -> None:
        # Wiring only: vehicles' positions from MQTT (cityops/vehicles/{id}/position).
        from cityops.monitoring.hooks import vehicle_position_register
        from cityops.transit.services import vehicle_position_receive

        vehicle_position_register(vehicle_position_receive)
