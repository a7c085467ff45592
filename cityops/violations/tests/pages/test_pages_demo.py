"""The demo's violation cases: two officers who can sign in, cases in every state at the
simulated cameras, open to the pages, seeded once."""

from __future__ import annotations

import time

from django.urls import reverse

from cityops.accounts.choices import Role
from cityops.accounts.models import User
from cityops.demo.violations import DEMO_CASES, violations_seed_demo
from cityops.monitoring.services import sensors_seed_demo
from cityops.violations.choices import CaseStatus
from cityops.violations.models import Case


def test_the_demo_seeds_officers_and_cases_in_every_state_once(client, db):
    sensors_seed_demo(backfill_hours=0)
    started = time.monotonic()

    counts = violations_seed_demo()

    assert time.monotonic() - started < 20
    assert counts == {"officers_created": 2, "violation_cases": len(DEMO_CASES)}
    officers = User.objects.filter(role=Role.OFFICER, username__startswith="demo-officer")
    assert officers.count() == 2
    assert set(Case.objects.values_list("status", flat=True)) == {
        CaseStatus.DETECTED, CaseStatus.REVIEWED, CaseStatus.CONFIRMED, CaseStatus.REJECTED,
        CaseStatus.NOTICE_ISSUED, CaseStatus.PAID,
    }  # fmt: skip
    for case in Case.objects.exclude(status=CaseStatus.DETECTED):
        assert case.steps.order_by("created_at").first().created_at >= case.observed_at
    notified = Case.objects.get(status=CaseStatus.NOTICE_ISSUED)
    page = client.get(reverse("violations:case", args=[notified.number]),
                      {"code": notified.lookup_code})  # fmt: skip
    assert page.status_code == 200
    client.force_login(officers.first())
    assert client.get(reverse("console:violations:cases")).status_code == 200

    assert violations_seed_demo() == {"officers_created": 0, "violation_cases": 0}
    assert Case.objects.count() == len(DEMO_CASES)
