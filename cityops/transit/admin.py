from django.contrib import admin

from cityops.transit.models import AlarmRoute, FeedVersion, Route, Stop, Vehicle


@admin.register(FeedVersion)
class FeedVersionAdmin(admin.ModelAdmin):
    list_display = ["pk", "source", "imported_at", "is_current", "problem_count", "seconds"]
    readonly_fields = [field.name for field in FeedVersion._meta.fields]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["route_id", "short_name", "long_name", "type", "feed"]
    list_filter = ["feed__is_current", "type"]
    search_fields = ["route_id", "short_name", "long_name"]


@admin.register(Stop)
class StopAdmin(admin.ModelAdmin):
    list_display = ["stop_id", "name", "lat", "lon", "feed"]
    list_filter = ["feed__is_current"]
    search_fields = ["stop_id", "code", "name"]


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["vehicle_id", "route_id", "trip_id", "next_stop_id", "delay", "observed_at"]
    search_fields = ["vehicle_id", "label", "trip_id", "route_id"]


@admin.register(AlarmRoute)
class AlarmRouteAdmin(admin.ModelAdmin):
    """Link any alarm to a route: while it is active it is published in the Alerts feed."""

    list_display = ["alarm", "route_id", "kind"]
    raw_id_fields = ["alarm"]
