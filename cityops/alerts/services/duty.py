"""Who is on duty: critical and major alarms are mailed to these operators."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.alerts.models import OnDuty
from cityops.platform import clock
from cityops.platform.errors import NotPermitted


@transaction.atomic
def duty_start(*, user: User) -> OnDuty:
    """``user`` (an operator or admin) is on duty from now; starting again changes nothing."""
    if not user.is_active or Role(user.role) not in (Role.OPERATOR, Role.ADMIN):
        raise NotPermitted(_("Only IOC operators go on duty."))
    duty, _created = OnDuty.objects.get_or_create(user=user, defaults={"since": clock.now()})
    return duty


@transaction.atomic
def duty_end(*, user: User) -> bool:
    """``user`` is off duty; False if they were not on duty."""
    deleted, _ = OnDuty.objects.filter(user=user).delete()
    return deleted > 0
