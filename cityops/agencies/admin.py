from django.contrib import admin

from cityops.agencies.models import Agency, Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "centroid_lat", "centroid_lon", "boundary_source")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "area", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_en", "code")
    autocomplete_fields = ("area",)
