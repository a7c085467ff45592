"""A case's evidence as an append-only SHA-256 chain.

Each link (an ``Evidence`` row) hashes its file's SHA-256, its kind, its position, the moment
it was recorded and the previous link's hash; the first link follows a start derived from the
case number, and the case keeps the last link's hash (``Case.evidence_head``). So
``evidence_verify`` finds a changed file (its SHA-256 no longer matches), a changed row (its
link hash no longer matches), a removed or inserted row (the next link does not follow, the
positions skip, or the head is not the last link) and a row moved to another case (the start
differs). The notice prints the hashes: a paper copy with the owner anchors the chain outside
the database, so that rewriting the whole chain would not go unnoticed either.

Append only under the case's row lock (``select_for_update`` in the caller's transaction).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from cityops.platform import clock
from cityops.violations.models import Case, Evidence

_READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of ``evidence_verify``: ``broken_at`` is the first bad link's position."""

    ok: bool
    broken_at: int | None = None
    reason: str = ""


def chain_start(case_number: str) -> str:
    """What the first link follows: bound to the case, so a link cannot move to another."""
    return hashlib.sha256(f"cityops:violations:evidence:{case_number}".encode()).hexdigest()


def link_hash(*, previous: str, sha256: str, kind: str, position: int, created_at: datetime) -> str:
    moment = created_at.astimezone(UTC).isoformat(timespec="microseconds")
    text = "\n".join((previous, sha256, kind, str(position), moment))
    return hashlib.sha256(text.encode()).hexdigest()


def file_sha256(name: str) -> str:
    """The SHA-256 of a stored file, read in chunks."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as file:
        while chunk := file.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class NewLink:
    """A stored file to become a link: its name in storage, what it is, its SHA-256 and size."""

    kind: str
    name: str
    content_type: str
    sha256: str
    size: int


def evidence_append(
    *, case: Case, kind: str, content: bytes, content_type: str, extension: str
) -> Evidence:
    """Store ``content`` as the case's next link (a new file in restricted storage)."""
    name = default_storage.save(_name(case, extension), ContentFile(content))
    digest = hashlib.sha256(content).hexdigest()
    return evidence_extend(
        case=case, links=[NewLink(kind, name, content_type, digest, len(content))]
    )[0]


def stored_link(*, kind: str, name: str, content_type: str) -> NewLink:
    """An already stored file (a detection's frame) as a link to be; its SHA-256 is computed
    from the file as stored now."""
    return NewLink(kind, name, content_type, file_sha256(name), default_storage.size(name))


def evidence_extend(*, case: Case, links: Sequence[NewLink]) -> list[Evidence]:
    """Append ``links`` to the case's chain, in order (one insert, and the head moved)."""
    last = (
        Evidence.objects.filter(case_id=case.pk)
        .order_by("-position")
        .values_list("position", "chain_hash")
        .first()
    )
    position, previous = last if last else (0, chain_start(case.number))
    # Microseconds are what both databases keep: the hash must survive the round trip.
    created_at = clock.now().astimezone(UTC)
    made = []
    for new in links:
        position += 1
        link = Evidence(
            case=case,
            position=position,
            kind=new.kind,
            content_type=new.content_type,
            size=new.size,
            sha256=new.sha256,
            previous_hash=previous,
            created_at=created_at,
            chain_hash=link_hash(
                previous=previous,
                sha256=new.sha256,
                kind=new.kind,
                position=position,
                created_at=created_at,
            ),
        )
        link.file.name = new.name
        made.append(link)
        previous = link.chain_hash
    Evidence.objects.bulk_create(made)
    case.evidence_head = previous
    Case.objects.filter(pk=case.pk).update(evidence_head=previous)
    return made


def evidence_verify(*, case: Case) -> ChainCheck:
    """Re-read every file of ``case`` and walk its chain; the first break found, or ok."""
    previous = chain_start(case.number)
    links = list(Evidence.objects.filter(case_id=case.pk).order_by("position"))
    for expected, link in enumerate(links, start=1):
        where = link.position
        if link.position != expected:
            return _broken(expected, _("Link %(position)s is missing.") % {"position": expected})
        if link.previous_hash != previous:
            reason = _("Link %(position)s does not follow the link before it.")
            return _broken(where, reason % {"position": where})
        recomputed = link_hash(
            previous=link.previous_hash,
            sha256=link.sha256,
            kind=link.kind,
            position=link.position,
            created_at=link.created_at,
        )
        if recomputed != link.chain_hash:
            return _broken(where, _("Link %(position)s was changed.") % {"position": where})
        try:
            actual = file_sha256(link.file.name)
        except (OSError, ValueError):
            reason = _("The file of link %(position)s is missing.")
            return _broken(where, reason % {"position": where})
        if actual != link.sha256:
            reason = _("The file of link %(position)s was changed.")
            return _broken(where, reason % {"position": where})
        previous = link.chain_hash
    head = Case.objects.filter(pk=case.pk).values_list("evidence_head", flat=True).first()
    if (head or "") != (previous if links else ""):
        position = len(links) + 1
        return _broken(position, _("Link %(position)s is missing.") % {"position": position})
    return ChainCheck(ok=True)


def _name(case: Case, extension: str) -> str:
    moment = clock.now()
    return f"violations/{moment:%Y/%m}/{case.number}-{uuid4().hex}.{extension}"


def _broken(position: int, reason: str) -> ChainCheck:
    return ChainCheck(ok=False, broken_at=position, reason=reason)
