from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "cityops.channels"
    label = "channels"
    verbose_name = _("Channels")
    _wired = False

    def ready(self) -> None:
        # Wiring only: public changes of a report go back on the conversations it came from.
        from cityops.channels.outbound import enqueue_channel_replies
        from cityops.platform.events import subscribe

        if not ChannelsConfig._wired:
            subscribe(enqueue_channel_replies)
            ChannelsConfig._wired = True
