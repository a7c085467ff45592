"""The preferences page's web push button needs the city's public VAPID key."""

from __future__ import annotations

from django import template
from django.conf import settings

from cityops.channels.push import push_configured

register = template.Library()


@register.simple_tag
def webpush_key() -> str:
    """The public VAPID key, or "" while web push is off (the button is not offered)."""
    return settings.CITYOPS_VAPID_PUBLIC_KEY if push_configured() else ""
