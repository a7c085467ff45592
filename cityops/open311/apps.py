from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "cityops.open311"
    label = "open311"
    verbose_name = "Open311 GeoReport v2"  # a proper name, the same in every language
