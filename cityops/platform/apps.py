from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "cityops.platform"
    label = "platform"
    verbose_name = _("Platform")
    _wired = False

    def ready(self) -> None:
        # Every domain event also goes to the live views (console, agency workspace).
        from cityops.platform.events import subscribe
        from cityops.platform.realtime import forward

        if not PlatformConfig._wired:
            subscribe(forward)
            PlatformConfig._wired = True
