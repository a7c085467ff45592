from django.apps import AppConfig
from django.http import HttpRequest, HttpResponse

from cityops.open311.render import Format, errors
from cityops.platform.bodylimit import too_large_answer_add
from cityops.platform.unavailable import unavailable_answer_add


class Open311Config(AppConfig):
    name = "cityops.open311"
    label = "open311"
    verbose_name = "Open311 GeoReport v2"  # a proper name, the same in every language

    _wired = False

    def ready(self) -> None:
        from cityops.open311.rows import on_event
        from cityops.platform.events import subscribe

        if not Open311Config._wired:
            subscribe(on_event)  # a report's change drops its written rows
            Open311Config._wired = True
        unavailable_answer_add(prefix="/open311/", answer=_unavailable)
        too_large_answer_add(prefix="/open311/", answer=_too_large)


def _unavailable(request: HttpRequest, message: str) -> HttpResponse:
    return errors([message], fmt=_format_of(request), status=503)


def _too_large(request: HttpRequest, message: str) -> HttpResponse:
    return errors([message], fmt=_format_of(request), status=413)


def _format_of(request: HttpRequest) -> Format:
    # The format of the URL's suffix, as every Open311 answer (XML when it names no other).
    return "json" if request.path.lower().endswith(".json") else "xml"
