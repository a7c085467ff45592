from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyWorkspaceConfig(AppConfig):
    name = "cityops.agency"
    label = "agency"
    verbose_name = _("Agency workspace")
