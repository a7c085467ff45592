from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "cityops.platform"
    label = "platform"
    verbose_name = _("Platform")
    _wired = False

    def ready(self) -> None:
        from cityops.platform.events import subscribe
        from cityops.platform.http import trusted_proxies
        from cityops.platform.readcache import on_event as read_cache_on_event
        from cityops.platform.realtime import forward

        trusted_proxies()  # a mistyped CITYOPS_TRUSTED_PROXIES stops the start, with its reason
        # Every domain event also goes to the live views (console, agency workspace).
        if not PlatformConfig._wired:
            subscribe(forward)
            # A report's change ends the kept answers showing it (every process, with Redis).
            subscribe(read_cache_on_event)
            PlatformConfig._wired = True
