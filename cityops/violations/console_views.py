"""The officers' workspace: the case list, a case (frames, clip, evidence chain, audit steps) and
its steps as POST forms, the owner's data on request, the notice and the evidence files.

Enforcement officers act, and alone see originals and owners' data (each look is audited by
``case_owner_view``). IOC operators, administrators and leaders read cases: the blurred copies
of the frames, no clip, no owner. Each action is a POST for officers only; a step the state or
the two-officer rule refuses is told on the case page in the services' words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cityops.accounts.access import OFFICERS, VIOLATION_READERS, View, has_role, roles_required
from cityops.accounts.models import User
from cityops.platform.blurring import Region
from cityops.platform.errors import CityOpsError, InvalidInput, NotFound
from cityops.violations import services
from cityops.violations.choices import CaseAction, CaseStatus, EvidenceKind
from cityops.violations.forms import (
    BlurEditForm,
    CaseFilterForm,
    ContestForm,
    IssueForm,
    NoteForm,
    OwnerForm,
    PaymentForm,
    RejectForm,
)
from cityops.violations.models import Case, Evidence
from cityops.violations.public_views import lookup_path_of
from cityops.violations.selectors import case_for_staff, cases_for_staff
from cityops.violations.services.blurring import BLUR_EDITORS
from cityops.violations.services.cases import OWNER_EDITABLE, SOURCES

PAGE_SIZE = 25
A = CaseAction


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def is_officer(user: Any) -> bool:
    return has_role(user, OFFICERS)


# --- the steps an officer takes ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One action of the case page: its form, the statuses that show it, the service it calls
    and what the officer is told when it is done."""

    name: str
    title: Any
    button: Any
    form: type[forms.Form]
    shown_in: tuple[CaseStatus, ...]
    run: Callable[..., Case]
    done: Any
    tone: str = ""  # "primary" or "danger": the button's weight


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "review",
            gettext_lazy("Review (first officer)"),
            gettext_lazy("Mark as reviewed"),
            NoteForm,
            SOURCES[A.REVIEWED],
            lambda case, actor, data: services.case_review(
                case=case, actor=actor, note=data["note"]
            ),
            gettext_lazy("Case %(number)s reviewed: a second officer confirms or rejects it."),
            "primary",
        ),
        Step(
            "confirm",
            gettext_lazy("Confirm (second officer)"),
            gettext_lazy("Confirm the violation"),
            NoteForm,
            SOURCES[A.CONFIRMED],
            lambda case, actor, data: services.case_confirm(
                case=case, actor=actor, note=data["note"]
            ),
            gettext_lazy("Case %(number)s confirmed."),
            "primary",
        ),
        Step(
            "owner_record",
            gettext_lazy("Record the registered owner"),
            gettext_lazy("Record the owner"),
            OwnerForm,
            OWNER_EDITABLE,
            lambda case, actor, data: services.case_owner_record(
                case=case, actor=actor, name=data["name"], address=data["address"]
            ),
            gettext_lazy("The owner of case %(number)s is recorded."),
        ),
        Step(
            "notice",
            gettext_lazy("Issue the notice"),
            gettext_lazy("Issue the notice"),
            IssueForm,
            SOURCES[A.NOTICE_ISSUED],
            lambda case, actor, data: services.case_notice_issue(case=case, actor=actor),
            gettext_lazy("The notice of case %(number)s is issued: download it below."),
            "primary",
        ),
        Step(
            "payment",
            gettext_lazy("Record the payment"),
            gettext_lazy("Record the payment"),
            PaymentForm,
            SOURCES[A.PAID],
            lambda case, actor, data: services.case_payment_record(
                case=case, actor=actor, amount=data["amount"]
            ),
            gettext_lazy("The payment of case %(number)s is recorded."),
        ),
        Step(
            "contest",
            gettext_lazy("Record a contest"),
            gettext_lazy("Record the contest"),
            ContestForm,
            SOURCES[A.CONTESTED],
            lambda case, actor, data: services.case_contest(
                case=case, actor=actor, note=data["note"]
            ),
            gettext_lazy("Case %(number)s is contested."),
        ),
        Step(
            "close",
            gettext_lazy("Close the case"),
            gettext_lazy("Close the case"),
            NoteForm,
            SOURCES[A.CLOSED],
            lambda case, actor, data: services.case_close(
                case=case, actor=actor, note=data["note"]
            ),
            gettext_lazy("Case %(number)s closed."),
        ),
        Step(
            "reject",
            gettext_lazy("Reject (second officer)"),
            gettext_lazy("Reject the case"),
            RejectForm,
            SOURCES[A.REJECTED],
            lambda case, actor, data: services.case_reject(
                case=case, actor=actor, reason=data["reason"]
            ),
            gettext_lazy("Case %(number)s rejected."),
            "danger",
        ),
    )
}

# The services' refusals that deserve words of their own on the page.
REFUSALS = {
    "second_officer_required": gettext_lazy(
        "A second officer must take this step: the officer who reviewed the case cannot "
        "confirm or reject it, and no notice goes out on one officer's word."
    ),
}


def _refusal(error: CityOpsError) -> str:
    return str(REFUSALS.get(error.code, error.message))


# --- reading cases -------------------------------------------------------------------------------


def _observed_between(cases: QuerySet[Case], since: Any, until: Any) -> QuerySet[Case]:
    """The list's period (the shared selector filters by everything else)."""
    if since is not None:
        cases = cases.filter(observed_at__gte=since)
    if until is not None:
        cases = cases.filter(observed_at__lt=until)
    return cases


def _case_or_404(pk: int) -> Case:
    try:
        return case_for_staff(pk=pk)
    except NotFound as error:
        raise Http404 from error


@require_GET
@roles_required(*VIOLATION_READERS)
def cases(request: HttpRequest) -> HttpResponse:
    """The cases, newest first, narrowed by status, violation, plate, camera and dates."""
    form = CaseFilterForm(request.GET or None)
    chosen = form.filters()
    since, until = chosen.pop("since"), chosen.pop("until")
    found = _observed_between(cases_for_staff(**chosen), since, until)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "violations/console/cases.html",
        {"form": form, "page": page, "is_officer": is_officer(request.user)},
    )


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    owner: Any = None,
    bound: tuple[str, forms.Form] | None = None,
    blur_bound: tuple[int, BlurEditForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    officer = is_officer(request.user)
    evidence = list(case.evidence.all())
    frames = [item for item in evidence if item.kind == EvidenceKind.FRAME]
    may_blur = has_role(request.user, BLUR_EDITORS) and case.status != CaseStatus.REJECTED
    blur_forms = [
        (
            blur_bound[1]
            if blur_bound and blur_bound[0] == frame.pk
            else BlurEditForm(regions=list(frame.blur_regions or []), prefix=f"blur-{frame.pk}")
        )
        if may_blur and frame.blurred_at
        else None
        for frame in frames
    ]
    panels: list[tuple[Step, forms.Form]] = []
    if officer:
        for step in STEPS.values():
            if case.status not in step.shown_in:
                continue
            form = bound[1] if bound and bound[0] == step.name else step.form()
            panels.append((step, form))
    context = {
        "case": case,
        "is_officer": officer,
        "frames": list(zip(frames, blur_forms, strict=True)),
        "frame_count": len(frames),
        "clip": next((item for item in evidence if item.kind == EvidenceKind.CLIP), None),
        "notice": next(
            (item for item in reversed(evidence) if item.kind == EvidenceKind.NOTICE), None
        ),
        "evidence": evidence,
        "chain": services.evidence_verify(case=case),
        "steps": list(case.steps.select_related("actor")),
        "panels": panels,
        "owner": owner,
        "owner_recorded": case.owner_recorded_at is not None,  # whether, never what
        "reviewer_is_me": case.reviewed_by_id == request.user.pk,
        "lookup_path": lookup_path_of(case) if officer else "",
    }
    return render(request, "violations/console/case.html", context, status=status)


@require_GET
@roles_required(*VIOLATION_READERS)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case_or_404(pk))


@require_POST
@roles_required(*OFFICERS)
def owner(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's data, read through the audited door and shown on this answer only."""
    case = _case_or_404(pk)
    try:
        found = services.case_owner_view(case=case, actor=_user(request))
    except CityOpsError as error:
        messages.error(request, _refusal(error))
        return redirect("console:violations:case", pk=case.pk)
    response = _case_page(request, case, owner=found)
    response["Cache-Control"] = "private, no-store"
    return response


def _act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    step = STEPS[name]
    case = _case_or_404(pk)
    form = step.form(request.POST)
    if not form.is_valid():
        return _case_page(request, case, bound=(name, form), status=400)
    try:
        case = step.run(case, _user(request), form.cleaned_data)
    except InvalidInput as error:  # e.g. more than the band's highest fine: said on the form
        for field, problems in (error.fields or {"__all__": [error.message]}).items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return _case_page(request, _case_or_404(pk), bound=(name, form), status=400)
    except CityOpsError as error:  # the state, the two-officer rule, the role
        messages.error(request, _refusal(error))
        return redirect("console:violations:case", pk=pk)
    messages.success(request, str(step.done) % {"number": case.number})
    return redirect("console:violations:case", pk=case.pk)


def _action(name: str) -> View:
    @require_POST
    @roles_required(*OFFICERS)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, name)

    view.__name__ = view.__qualname__ = f"case_{name}"
    return view


review = _action("review")
confirm = _action("confirm")
reject = _action("reject")
owner_record = _action("owner_record")
notice_issue = _action("notice")
payment = _action("payment")
contest = _action("contest")
close = _action("close")


@require_POST
@roles_required(*BLUR_EDITORS)
def blur_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep, remove or add blur regions of a frame; its public copy is made again."""
    frame = Evidence.objects.filter(pk=pk, kind=EvidenceKind.FRAME).first()
    if frame is None:
        raise Http404
    case = _case_or_404(frame.case_id)
    form = BlurEditForm(request.POST, regions=list(frame.blur_regions or []), prefix=f"blur-{pk}")
    if not form.is_valid():
        return _case_page(request, case, blur_bound=(frame.pk, form), status=400)
    kept, added = form.chosen()
    try:
        regions = [Region.from_dict(region) for region in [*kept, *([added] if added else [])]]
        services.evidence_blur_edit(evidence=frame, actor=_user(request), regions=regions)
    except ValueError as error:  # a stored region the platform no longer accepts
        form.add_error(None, str(error))
        return _case_page(request, case, blur_bound=(frame.pk, form), status=400)
    except CityOpsError as error:
        messages.error(request, _refusal(error))
        return redirect("console:violations:case", pk=case.pk)
    messages.success(
        request,
        _("Frame %(position)s is blurred again with %(count)d regions.")
        % {"position": frame.position, "count": len(regions)},
    )
    return redirect("console:violations:case", pk=case.pk)


# --- files -------------------------------------------------------------------------------------


def _file_response(file: Any, content_type: str, *, filename: str = "") -> HttpResponse:
    response = FileResponse(file.open("rb"), content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)  # streamed; the access decorator is typed for HttpResponse


@require_GET
@roles_required(*OFFICERS)
def evidence_original(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's file as the camera sent it (or the notice as issued): officers only."""
    item = Evidence.objects.filter(pk=pk).first()
    if item is None or not item.file:
        raise Http404
    return _file_response(item.file, item.content_type)


@require_GET
@roles_required(*VIOLATION_READERS)
def evidence_blurred(request: HttpRequest, pk: int) -> HttpResponse:
    """A frame's blurred copy, the only image of a case other readers see."""
    item = Evidence.objects.filter(pk=pk, kind=EvidenceKind.FRAME).first()
    if item is None or not item.public_file:
        raise Http404
    return _file_response(item.public_file, "image/jpeg")


@require_GET
@roles_required(*OFFICERS)
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as issued: the PDF kept in the evidence chain (it names the owner)."""
    case = _case_or_404(pk)
    notice = case.evidence.filter(kind=EvidenceKind.NOTICE).order_by("-position").first()
    if notice is None or not notice.file:
        raise Http404
    return _file_response(notice.file, "application/pdf", filename=f"thong-bao-{case.number}.pdf")
