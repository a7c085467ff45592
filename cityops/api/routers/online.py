"""Online public services: the catalogue (public), an application submitted with its
documents (JSON with base64 documents, or a multipart form with one file per document key),
the caller's applications and one of them with its timeline. docs/online-services.md."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cityops.api.auth import OPTIONAL, OPTIONAL_OPENAPI, SIGNED_IN, user_of
from cityops.api.schemas import errors
from cityops.api.writes import api_write
from cityops.online import selectors
from cityops.online.links import payment_page_url, receipt_url
from cityops.online.models import Application
from cityops.online.services import application_submit
from cityops.platform.errors import InvalidInput, NotFound
from cityops.platform.http import json_body

router = Router(tags=["online"])


class OnlineDocumentOut(Schema):
    key: str = Field(description="The name of the upload (multipart field or JSON key).")
    name: str
    required: bool


class OnlineServiceOut(Schema):
    code: str
    name: str
    procedure_code: str = Field(description="The National Public Service Portal's code.")
    agency: str = Field(description="The responsible agency's name.")
    processing_days: int = Field(description="Processing time in working days.")
    fee_vnd: int = Field(description="Today's fee in đồng (0: free).")
    documents: list[OnlineDocumentOut]


class OnlineEventOut(Schema):
    kind: str = Field(description="A status, 'created', 'message' or 'reply'.")
    text: str
    at: datetime
    by_applicant: bool


class OnlineApplicationOut(Schema):
    number: str = Field(description="e.g. HS-2026-000123")
    service: str = Field(description="The service's code.")
    status: str
    status_label: str
    fee_vnd: int
    submitted_at: datetime | None = Field(description="Received (after payment, for a fee).")
    due_at: datetime | None = Field(description="The deadline, in working days.")
    finished_at: datetime | None
    result: str
    pay_url: str | None = Field(description="Where to pay the fee while it is due.")
    receipt_url: str | None = Field(description="The electronic receipt, once paid.")


class OnlineApplicationDetailOut(OnlineApplicationOut):
    events: list[OnlineEventOut]


def _out(application: Application, *, events: bool = False) -> dict[str, Any]:
    data = {
        "number": application.number,
        "service": application.service.code,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "fee_vnd": application.fee_vnd,
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "finished_at": application.finished_at,
        "result": application.result,
        "pay_url": payment_page_url(application.payment)
        if application.status == "awaiting_payment"
        else None,
        "receipt_url": receipt_url(application.payment),
    }
    if events:
        data["events"] = [
            {
                "kind": e.kind,
                "text": e.text,
                "at": e.created_at,
                "by_applicant": e.actor_id == application.applicant_id,
            }
            for e in application.events.all()
            if e.to_applicant
        ]
    return data


@router.get(
    "/services",
    response={200: list[OnlineServiceOut], **errors(400)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_OPENAPI,
    summary="List the online services",
)
def online_service_list(request: HttpRequest, q: str = "") -> list[dict[str, Any]]:
    """The catalogue of ``/online/``, with today's fee; ``q`` filters by words of the name,
    procedure code or agency (accents ignored)."""
    return [
        {
            "code": s.code,
            "name": s.name,
            "procedure_code": s.procedure_code,
            "agency": s.agency.name,
            "processing_days": s.processing_days,
            "fee_vnd": s.fee_today,  # type: ignore[attr-defined]
            "documents": [
                {"key": d["key"], "name": d["name"], "required": bool(d.get("required", True))}
                for d in s.documents
            ],
        }
        for s in selectors.catalogue(query=q[:100])
    ]


def _submission(request: HttpRequest) -> tuple[str, dict[str, Any]]:
    if request.content_type == "application/json":
        data = json_body(request) if request.body else None
        if not isinstance(data, dict):
            message = "Send a JSON object (or a multipart form with the documents)."
            raise InvalidInput(message, fields={"body": [message]})
        details = data.get("details", "")
        documents = data.get("documents", {})
        if not isinstance(details, str) or not isinstance(documents, dict):
            message = "'details' is a text, 'documents' an object of base64 files by key."
            raise InvalidInput(message, fields={"body": [message]})
        files: dict[str, Any] = {}
        for key, value in documents.items():
            try:
                files[key] = base64.b64decode(str(value), validate=True)
            except (binascii.Error, ValueError):
                raise InvalidInput(
                    "A document is not valid base64.", fields={key: ["Not valid base64."]}
                ) from None
        return details, files
    return request.POST.get("details", ""), dict(request.FILES.items())


_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "details": {"type": "string", "maxLength": 4000},
                        "documents": {
                            "type": "object",
                            "description": "Base64 PDFs or photos by document key.",
                            "additionalProperties": {"type": "string", "format": "byte"},
                        },
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "description": "One file per document key (PDF, JPEG, PNG or WebP).",
                    "properties": {"details": {"type": "string", "maxLength": 4000}},
                    "additionalProperties": {"type": "string", "format": "binary"},
                }
            },
        },
    }
}


@router.post(
    "/services/{code}/applications",
    response={201: OnlineApplicationDetailOut, **errors(400, 401, 404, 409, 413, 429)},
    auth=SIGNED_IN,
    openapi_extra=_BODY,
    summary="Submit an application",
)
@api_write()
def online_application_create(request: HttpRequest, code: str) -> Status[dict[str, Any]]:
    """Request a service with its documents. Free services are received at once; with a fee
    the application waits for its payment (``pay_url``)."""
    service = selectors.service_offered(code=code)
    if service is None:
        raise NotFound("No online service has this code.", code="unknown_service")
    details, files = _submission(request)
    application = application_submit(
        service=service, applicant=user_of(request), details=details, files=files
    )
    return Status(201, _out(application, events=True))


@router.get(
    "/applications",
    response={200: list[OnlineApplicationOut], **errors(401)},
    auth=SIGNED_IN,
    summary="List my applications",
)
def online_application_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(a) for a in selectors.applications_of(user=user_of(request))[:200]]


@router.get(
    "/applications/{number}",
    response={200: OnlineApplicationDetailOut, **errors(401, 404)},
    auth=SIGNED_IN,
    summary="Read one of my applications",
)
def online_application_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    """The application with its timeline; 404 for anyone but its applicant and the staff who
    process it."""
    application = selectors.application_for(user=user_of(request), number=number)
    if application is None:
        raise NotFound("No application of yours has this number.", code="unknown_application")
    return _out(application, events=True)
