from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "cityops.channels"
    label = "channels"
    verbose_name = _("Channels")
    _wired = False
    _sms_wired = False

    def ready(self) -> None:
        # Wiring only: public changes of a report go back on the conversations it came from.
        from cityops.channels.adapters.messenger import messenger_send
        from cityops.channels.adapters.zalo import zalo_send
        from cityops.channels.outbound import adapter_register, enqueue_channel_replies
        from cityops.platform.events import subscribe
        from cityops.reports.choices import Channel

        adapter_register(channel=Channel.ZALO, adapter=zalo_send)
        adapter_register(channel=Channel.FACEBOOK, adapter=messenger_send)
        # SMS: the gateway sends; phone-only reporters follow by text; browsers get pushes;
        # conversations and pushes take part in a person's data export and erasure.
        from cityops.accounts.personal_data import personal_data_holder_register
        from cityops.channels.adapters.sms import sms_adapter
        from cityops.channels.personal_data import channel_data_erase, channel_data_of
        from cityops.channels.push import enqueue_push_notifications
        from cityops.channels.sms import enqueue_phone_follow

        adapter_register(channel=Channel.SMS, adapter=sms_adapter)
        personal_data_holder_register(
            name="channels", export=channel_data_of, erase=channel_data_erase
        )
        if not ChannelsConfig._sms_wired:
            subscribe(enqueue_phone_follow)
            subscribe(enqueue_push_notifications)
            ChannelsConfig._sms_wired = True

        from cityops.channels.mail.outbound import email_send
        from cityops.channels.outbound import adapter_register
        from cityops.reports.choices import Channel

        adapter_register(channel=Channel.EMAIL, adapter=email_send)
        if not ChannelsConfig._wired:
            subscribe(enqueue_channel_replies)
            ChannelsConfig._wired = True
