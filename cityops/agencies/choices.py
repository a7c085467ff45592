from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    IOC = "ioc", _("Operations centre (IOC)")
    DEPARTMENT = "department", _("Department (Sở)")
    COMMITTEE = "committee", _("Ward/commune People's Committee")
    POLICE = "police", _("Police")
    UTILITY = "utility", _("Utility company")
    TELECOM = "telecom", _("Telecommunications company")


class AreaKind(models.TextChoices):
    WARD = "ward", _("Ward (phường)")
    COMMUNE = "commune", _("Commune (xã)")
