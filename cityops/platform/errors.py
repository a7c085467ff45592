"""The project's own error hierarchy.

Domain functions raise these; delivery layers map them to responses (the API: 400/403/404/409
with ``code``), never the other way round.
"""

from __future__ import annotations


class CityOpsError(Exception):
    """Base of every domain error: a machine-readable ``code`` and a human ``message``."""

    code = "error"
    http_status = 400

    def __init__(
        self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class InvalidInput(CityOpsError):
    """The caller sent something the domain cannot accept; ``fields`` says what, per field."""

    code = "invalid"
    http_status = 400


class NotPermitted(CityOpsError):
    """The actor may not do this (wrong role, another agency's report, not the reporter)."""

    code = "forbidden"
    http_status = 403


class NotFound(CityOpsError):
    code = "not_found"
    http_status = 404


class Conflict(CityOpsError):
    """The request is valid but the current state refuses it (e.g. a transition)."""

    code = "conflict"
    http_status = 409
