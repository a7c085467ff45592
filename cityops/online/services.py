"""Writes of online services: an application's submission and every step of its life, each
one an ``ApplicationEvent`` (what the applicant follows); messages to the applicant are also
emailed (``notifications``).

Life (docs/online-services.md): awaiting_payment (a fee is due) → submitted →
in_progress ⇄ needs_info → done / refused; the applicant may withdraw until it is finished.
The deadline is ``processing_days`` working days after the application is received (paid, for
a fee); while the agency waits for the applicant's information the clock stops: the reply
pushes the deadline by the working time spent waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from uuid import uuid4

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cityops.accounts.models import User
from cityops.online.choices import ApplicationStatus as S
from cityops.online.documents import CleanDocument, DocumentRejected, Upload, document_clean
from cityops.online.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Fee,
    OnlineService,
)
from cityops.online.tasks import notify_applicant
from cityops.payments.choices import Gateway
from cityops.payments.models import Payment
from cityops.payments.services import payment_start
from cityops.platform import clock
from cityops.platform.errors import Conflict, InvalidInput
from cityops.reports.deadlines import working_calendar

PURPOSE = "online"
MESSAGE = "message"
REPLY = "reply"
MAX_DETAILS = 4000
OPEN = (S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO)


def fee_on(*, service: OnlineService, day: date) -> Fee | None:
    """The fee row valid on ``day``: the latest one starting on or before it."""
    return service.fees.filter(valid_from__lte=day).order_by("-valid_from").first()


def _number(year: int) -> str:
    prefix = f"HS-{year}-"
    last = (
        Application.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    following = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{following:06d}"


def _event(
    application: Application,
    kind: str,
    *,
    actor: User | None,
    text: str = "",
    to_applicant: bool = True,
) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application, kind=kind, text=text, actor=actor, to_applicant=to_applicant
    )
    # ``created_at`` is auto_now_add: set it to the city's clock (frozen in tests and demos).
    event.created_at = clock.now()
    ApplicationEvent.objects.filter(pk=event.pk).update(created_at=event.created_at)
    # The applicant hears of what others did (staff, or the gateway's payment: no actor), in a
    # job: a mail server that is down must not fail a step already committed.
    if to_applicant and (actor is None or actor.pk != application.applicant_id):
        transaction.on_commit(lambda: notify_applicant.enqueue(event_id=event.pk))
    return event


def documents_clean(
    *, service: OnlineService, files: Mapping[str, Upload]
) -> dict[str, CleanDocument]:
    """Every document checked before anything is written; all problems reported at once."""
    problems: dict[str, list[str]] = {}
    cleaned: dict[str, CleanDocument] = {}
    known = {doc["key"]: doc for doc in service.documents}
    for key, doc in known.items():
        upload = files.get(key)
        if upload is None:
            if doc.get("required", True):
                problems[key] = [_("%(name)s is required.") % {"name": doc["name"]}]
            continue
        try:
            cleaned[key] = document_clean(upload)
        except DocumentRejected as rejected:
            problems[key] = [_("%(name)s: %(why)s.") % {"name": doc["name"], "why": rejected}]
    for key in files:
        if key not in known:
            problems[key] = [_("This service asks for no document named “%(key)s”.") % {"key": key}]
    if problems:
        message = " ".join(text for texts in problems.values() for text in texts)
        raise InvalidInput(message, code="invalid_document", fields=problems)
    return cleaned


def _receive(application: Application) -> None:
    now = clock.now()
    application.status = S.SUBMITTED
    application.submitted_at = now
    application.due_at = working_calendar().add_working_days(
        now, application.service.processing_days
    )
    application.save(update_fields=["status", "submitted_at", "due_at"])


def _created(
    *, service: OnlineService, applicant: User, details: str, amount: int, now: datetime
) -> Application:
    """The application under the next free number of the year (a savepoint per try: two
    submissions at once may reach for the same number)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    number=_number(now.year),
                    service=service,
                    applicant=applicant,
                    details=details,
                    fee_vnd=amount,
                    status=S.AWAITING_PAYMENT if amount else S.SUBMITTED,
                )
        except IntegrityError:
            continue
        application.created_at = now
        Application.objects.filter(pk=application.pk).update(created_at=now)
        return application
    raise Conflict(_("Please send the application again."), code="busy")  # pragma: no cover


def application_submit(
    *,
    service: OnlineService,
    applicant: User,
    details: str = "",
    files: Mapping[str, Upload],
    gateway: Gateway | str = Gateway.VNPAY,
) -> Application:
    """A new application with its documents; received at once when free, else waiting for
    its fee (a payment is started with the fee valid today)."""
    if not service.is_active:
        raise Conflict(_("This service is no longer offered online."), code="not_offered")
    details = details.strip()
    if len(details) > MAX_DETAILS:
        raise InvalidInput(
            _("The details are too long."), fields={"details": [_("At most 4000 characters.")]}
        )
    cleaned = documents_clean(service=service, files=files)
    now = clock.now()
    fee = fee_on(service=service, day=now.astimezone(working_calendar().tz).date())
    amount = fee.amount_vnd if fee else 0
    names = {d["key"]: d["name"] for d in service.documents}
    with transaction.atomic():
        application = _created(
            service=service, applicant=applicant, details=details, amount=amount, now=now
        )
        for key, doc in cleaned.items():
            record = ApplicationDocument(application=application, key=key, file_name=names[key])
            record.file.save(f"{uuid4().hex}.{doc.extension}", ContentFile(doc.content), save=False)
            record.save()
        _event(application, "created", actor=applicant, text=details)
        if amount:
            application.payment = payment_start(
                purpose=PURPOSE,
                reference=application.number,
                description=_("Fee of application %(number)s") % {"number": application.number},
                amount_vnd=amount,
                gateway=gateway,
                payer_name=applicant.get_full_name() or applicant.username,
                seller_name=service.agency.name,
            )
            application.save(update_fields=["payment"])
        else:
            _receive(application)
            _event(application, S.SUBMITTED, actor=None)
    return application


def application_paid(payment: Payment) -> None:
    """The ``online`` payment handler: the application is received when its fee is paid."""
    application = (
        Application.objects.select_for_update()
        .select_related("service")
        .filter(number=payment.reference)
        .first()
    )
    if application is None or application.status != S.AWAITING_PAYMENT:
        return
    _receive(application)
    _event(application, S.SUBMITTED, actor=None, text=_("Fee paid."))


def _step(application: Application, allowed: tuple[str, ...]) -> Application:
    locked = (
        Application.objects.select_for_update().select_related("service").get(pk=application.pk)
    )
    if locked.status not in allowed:
        raise Conflict(
            _("Not possible while the application is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="invalid_transition",
        )
    return locked


def _required(text: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(
            _("Please write a text."), fields={field: [_("This field is required.")]}
        )
    if len(text) > MAX_DETAILS:
        raise InvalidInput(
            _("The text is too long."), fields={field: [_("At most 4000 characters.")]}
        )
    return text


@transaction.atomic
def application_accept(*, application: Application, actor: User) -> Application:
    locked = _step(application, (S.SUBMITTED,))
    locked.status = S.IN_PROGRESS
    locked.save(update_fields=["status"])
    _event(locked, S.IN_PROGRESS, actor=actor)
    return locked


@transaction.atomic
def application_ask_info(*, application: Application, actor: User, text: str) -> Application:
    """Ask the applicant for information or documents; the clock stops until they reply."""
    text = _required(text, "text")
    locked = _step(application, (S.SUBMITTED, S.IN_PROGRESS))
    locked.status = S.NEEDS_INFO
    locked.save(update_fields=["status"])
    _event(locked, S.NEEDS_INFO, actor=actor, text=text)
    return locked


@transaction.atomic
def application_reply(
    *, application: Application, actor: User, text: str, files: Mapping[str, Upload] | None = None
) -> Application:
    """The applicant answers (text, documents replaced or added); processing resumes and the
    deadline moves by the working time spent waiting."""
    text = _required(text, "text")
    locked = _step(application, (S.NEEDS_INFO,))
    cleaned = {}
    if files:
        known = {d["key"]: d["name"] for d in locked.service.documents}
        unknown = [key for key in files if key not in known]
        if unknown:
            raise InvalidInput(
                _("Unknown document."), fields={k: [_("Unknown document.")] for k in unknown}
            )
        problems: dict[str, list[str]] = {}
        for key, upload in files.items():
            try:
                cleaned[key] = document_clean(upload)
            except DocumentRejected as rejected:
                problems[key] = [_("%(name)s: %(why)s.") % {"name": known[key], "why": rejected}]
        if problems:
            raise InvalidInput(
                " ".join(t for ts in problems.values() for t in ts),
                code="invalid_document",
                fields=problems,
            )
        for key, doc in cleaned.items():
            record = ApplicationDocument(application=locked, key=key, file_name=known[key])
            record.file.save(f"{uuid4().hex}.{doc.extension}", ContentFile(doc.content), save=False)
            record.save()
    asked = locked.events.filter(kind=S.NEEDS_INFO).order_by("-created_at").first()
    now = clock.now()
    if asked is not None and locked.due_at is not None:
        calendar = working_calendar()
        waited = calendar.working_time_between(asked.created_at, now)
        locked.due_at = calendar.add_working_time(locked.due_at, waited)
    locked.status = S.IN_PROGRESS
    locked.save(update_fields=["status", "due_at"])
    _event(locked, REPLY, actor=actor, text=text)
    return locked


@transaction.atomic
def application_finish(*, application: Application, actor: User, result: str) -> Application:
    result = _required(result, "result")
    locked = _step(application, (S.SUBMITTED, S.IN_PROGRESS))
    locked.status, locked.result, locked.finished_at = S.DONE, result, clock.now()
    locked.save(update_fields=["status", "result", "finished_at"])
    _event(locked, S.DONE, actor=actor, text=result)
    return locked


@transaction.atomic
def application_refuse(*, application: Application, actor: User, reason: str) -> Application:
    reason = _required(reason, "reason")
    locked = _step(application, (S.SUBMITTED, S.IN_PROGRESS, S.NEEDS_INFO))
    locked.status, locked.result, locked.finished_at = S.REFUSED, reason, clock.now()
    locked.save(update_fields=["status", "result", "finished_at"])
    _event(locked, S.REFUSED, actor=actor, text=reason)
    return locked


@transaction.atomic
def application_withdraw(*, application: Application, actor: User) -> Application:
    locked = _step(application, (S.AWAITING_PAYMENT, *OPEN))
    locked.status, locked.finished_at = S.WITHDRAWN, clock.now()
    locked.save(update_fields=["status", "finished_at"])
    _event(locked, S.WITHDRAWN, actor=actor)
    return locked


@transaction.atomic
def application_message(*, application: Application, actor: User, text: str) -> ApplicationEvent:
    """A message between the applicant and the agency on an application still open."""
    text = _required(text, "text")
    locked = _step(application, (S.AWAITING_PAYMENT, *OPEN))
    return _event(locked, MESSAGE, actor=actor, text=text)
