from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OPERATOR = "operator", _("IOC operator")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    LEADER = "leader", _("Leader")
    OFFICER = "officer", _("Enforcement officer")  # reviews camera violation cases
    ADMIN = "admin", _("Administrator")

    @property
    def is_ioc_staff(self) -> bool:
        """IOC staff see reporters' identities; agencies and the public never do."""
        return self in (Role.OPERATOR, Role.ADMIN)
