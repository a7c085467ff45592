from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    name = "cityops.transit"
    label = "transit"
    verbose_name = _("Public transport")

    def ready(self) -> None:
        # Wiring only: vehicles' positions from MQTT (cityops/vehicles/{id}/position).
        from cityops.console.layers import MapLayer, map_layer_add
        from cityops.monitoring.hooks import vehicle_position_register
        from cityops.platform.realtime import topic_passing_add
        from cityops.transit.services import vehicle_position_receive
        from cityops.transit.services.track import VEHICLE_MOVED

        vehicle_position_register(vehicle_position_receive)
        # 500 buses move 50 times a second: live only, never in the reports' replay backlog.
        topic_passing_add(VEHICLE_MOVED)
        # The console map's live buses (moved by the vehicle.moved events).
        map_layer_add(
            MapLayer(
                key="vehicles",
                label=_("Buses"),
                url_name="console:transit:vehicle_points",
                kind="vehicles",
                script="console/vehicles.js",
            )
        )
