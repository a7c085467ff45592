from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "cityops.online"
    label = "online"
    verbose_name = _("Online public services")

    def ready(self) -> None:
        from cityops.online import handlers  # noqa: F401  (registers the ``online`` payment handler)
