"""The evidence chain: each link hashes its file, kind, position, time and the link before it;
``evidence_verify`` re-reads every file and finds a changed file or a changed, missing or
inserted row."""

from __future__ import annotations

import hashlib
import itertools
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cityops.violations.choices import EvidenceKind
from cityops.violations.evidence import chain_start, evidence_append, evidence_verify, link_hash
from cityops.violations.models import Case, Evidence

from .factories import case_detected


@pytest.fixture
def case(camera):
    return case_detected(camera, clip="AAAAGGZ0eXBpc29tAAACAGlzb21pc28y" + "A" * 40)


def links(case):
    return list(Evidence.objects.filter(case=case).order_by("position"))


def test_a_new_case_has_the_event_three_frames_and_the_clip_in_one_chain(case):
    chain = links(case)
    assert [link.kind for link in chain] == ["event", "frame", "frame", "frame", "clip"]
    assert [link.position for link in chain] == [1, 2, 3, 4, 5]
    assert chain[0].previous_hash == chain_start(case.number)
    for before, link in itertools.pairwise(chain):
        assert link.previous_hash == before.chain_hash
    case.refresh_from_db()
    assert case.evidence_head == chain[-1].chain_hash
    assert evidence_verify(case=case).ok


def test_each_link_hashes_its_file_kind_position_time_and_the_link_before(case):
    link = links(case)[1]
    with link.file.open("rb") as file:
        assert link.sha256 == hashlib.sha256(file.read()).hexdigest()
    assert link.chain_hash == link_hash(
        previous=link.previous_hash,
        sha256=link.sha256,
        kind=link.kind,
        position=link.position,
        created_at=link.created_at,
    )


def test_a_changed_file_is_detected(case):
    frame = links(case)[2]
    name = frame.file.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"\xff\xd8\xff a doctored frame"))

    check = evidence_verify(case=case)

    assert not check.ok
    assert check.broken_at == 3
    assert check.reason == "Tệp của mắt xích 3 đã bị thay đổi."  # the site speaks Vietnamese


def test_a_missing_file_is_detected(case):
    default_storage.delete(links(case)[1].file.name)
    check = evidence_verify(case=case)
    assert (check.ok, check.broken_at) == (False, 2)
    assert "mắt xích 2" in check.reason


def test_a_row_rewritten_to_match_a_doctored_file_is_detected(case):
    frame = links(case)[1]
    Evidence.objects.filter(pk=frame.pk).update(sha256="0" * 64)
    check = evidence_verify(case=case)
    assert (check.ok, check.broken_at) == (False, 2)


@pytest.mark.parametrize("field", ["kind", "position_swap", "created_at"])
def test_a_changed_row_is_detected(case, field):
    chain = links(case)
    if field == "kind":
        Evidence.objects.filter(pk=chain[1].pk).update(kind=EvidenceKind.NOTICE)
    elif field == "created_at":
        moment = chain[1].created_at + timedelta(seconds=1)
        Evidence.objects.filter(pk=chain[1].pk).update(created_at=moment)
    else:  # two frames swap places
        Evidence.objects.filter(pk=chain[1].pk).update(position=99)
        Evidence.objects.filter(pk=chain[2].pk).update(position=2)
        Evidence.objects.filter(pk=chain[1].pk).update(position=3)
    assert not evidence_verify(case=case).ok


def test_a_removed_row_is_detected_in_the_middle_and_at_the_end(case):
    chain = links(case)
    Evidence.objects.filter(pk=chain[-1].pk).delete()
    check = evidence_verify(case=case)
    assert (check.ok, check.broken_at) == (False, 5)
    Evidence.objects.filter(pk=chain[2].pk).delete()
    assert evidence_verify(case=case).broken_at == 3


def test_an_inserted_row_is_detected_even_with_a_well_formed_link(case):
    chain = links(case)
    last = chain[-1]
    # Someone appends a link computed by the rules but bypassing the case's head.
    forged = Evidence(
        case=case,
        position=last.position + 1,
        kind=EvidenceKind.FRAME,
        content_type="image/jpeg",
        size=3,
        sha256=last.sha256,
        previous_hash=last.chain_hash,
        created_at=last.created_at,
    )
    forged.file.name = last.file.name
    forged.chain_hash = link_hash(
        previous=forged.previous_hash,
        sha256=forged.sha256,
        kind=forged.kind,
        position=forged.position,
        created_at=forged.created_at,
    )
    forged.save()
    check = evidence_verify(case=case)
    assert (check.ok, check.broken_at) == (False, 7)


def test_a_row_moved_from_another_case_is_detected(case, camera):
    other = case_detected(camera, plate="43C1-234.56", vehicle_type="motorbike")
    moved = links(other)[0]
    Evidence.objects.filter(case=case, position=1).delete()
    Evidence.objects.filter(pk=moved.pk).update(case=case)
    check = evidence_verify(case=case)
    assert (check.ok, check.broken_at) == (False, 1)


def test_appending_continues_the_chain(case):
    case = Case.objects.get(pk=case.pk)
    link = evidence_append(
        case=case,
        kind=EvidenceKind.NOTICE,
        content=b"%PDF-1.4",
        content_type="application/pdf",
        extension="pdf",
    )
    assert link.position == 6
    assert link.previous_hash == links(case)[4].chain_hash
    assert evidence_verify(case=case).ok
