"""What becomes of a synthetic report: the moves that lead it to its fate, as often as they do."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from cityops.demo.demo_data import _suggested
from cityops.reports.choices import RatingValue, ReportStatus

if TYPE_CHECKING:
    from cityops.demo.bulk.life.moves import Life

S = ReportStatus


def live(life: Life, fate: ReportStatus, originals: list[int]) -> None:
    """Make the moves of a report whose fate is ``fate``; a young one stops on its way there."""
    rng = life.rng
    age = life.g.horizon - life.report.submitted_at
    # Recent reports are still on their way: the younger, the earlier their stage.
    if fate in (S.CLOSED, S.RESOLVED) and age < timedelta(days=3):
        fate = rng.choice((S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS))
    elif fate in (S.IN_PROGRESS, S.ASSIGNED, S.ACCEPTED, S.SUBMITTED) and age > timedelta(days=45):
        fate = S.CLOSED if rng.random() < 0.97 else fate
    if fate == S.SUBMITTED:
        life.finish()
        return
    if fate == S.DUPLICATE:
        if rng.random() < 0.4:
            life.accept()
        life.merge(originals)
        return
    if fate == S.REJECTED:
        if rng.random() < 0.4:
            life.accept()
        life.reject(originals)
        return
    life.accept()
    agency = _suggested(life.report.category.pk, life.report.area_id) or life.g.cast.ioc
    if fate == S.ACCEPTED:
        if rng.random() < 0.4:
            life.misroute(agency)
        life.finish()
        return
    if rng.random() < 0.07:
        life.misroute(agency)
    life.assign(agency)
    if fate == S.ASSIGNED:
        life.finish()
        return
    life.take_up()
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        life.note()
    if rng.random() < 0.12:
        life.extend()
    if fate == S.IN_PROGRESS:
        life.finish()
        return
    life.resolve(late=rng.random() < 0.15)
    has_reporter = life.report.reporter_id is not None
    if fate == S.RESOLVED:
        if has_reporter and rng.random() < 0.3:
            life.rate(RatingValue.UNSATISFIED)
        return
    if not has_reporter or rng.random() < 0.1:
        life.close()
        return
    if rng.random() < 0.12:
        life.rate(RatingValue.UNSATISFIED)
        life.reopen()
        life.resolve()
    life.rate(RatingValue.SATISFIED if rng.random() < 0.78 else RatingValue.ACCEPTABLE)
