from django.apps import AppConfig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from cityops.api.errors import error_response
from cityops.platform.bodylimit import too_large_answer_add
from cityops.platform.unavailable import unavailable_answer_add


class ApiConfig(AppConfig):
    name = "cityops.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        unavailable_answer_add(prefix="/api/", answer=_unavailable)
        too_large_answer_add(prefix="/api/", answer=_too_large)


def _unavailable(request: HttpRequest, message: str) -> HttpResponse:
    return error_response(status=503, code="unavailable", message=message)


def _too_large(request: HttpRequest, message: str) -> HttpResponse:
    return error_response(status=413, code="too_large", message=message)
