from django.contrib import admin

from cityops.channels.models import ChannelMessage, Conversation, PushSubscription


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("pk", "channel", "state", "report", "created_at")
    list_filter = ("channel", "state")
    raw_id_fields = ("report", "user")


@admin.register(ChannelMessage)
class ChannelMessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "channel", "direction", "delivery", "report", "received_at")
    list_filter = ("channel", "direction", "delivery")
    raw_id_fields = ("conversation", "report")


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "user_agent", "created_at", "failures")
    raw_id_fields = ("user",)
