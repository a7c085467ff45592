"""The one report filter: parsing every parameter and narrowing the list."""

import pytest

from cityops.platform.errors import InvalidInput
from cityops.reports.choices import ReportStatus
from cityops.reports.filters import ReportFilter


def test_open_and_closed_expand_to_their_detailed_statuses():
    parsed = ReportFilter.from_params({"status": "open,rejected"})
    assert ReportStatus.IN_PROGRESS in parsed.statuses
    assert ReportStatus.REJECTED in parsed.statuses
    assert ReportStatus.RESOLVED not in parsed.statuses


@pytest.mark.parametrize("ids", ["1,x", "²", str(2**63), "-3"])
def test_ids_that_are_not_database_ids_are_refused_not_crashed_on(ids):
    with pytest.raises(InvalidInput) as refused:
        ReportFilter.from_params({"id": ids})
    assert "id" in refused.value.fields


def test_every_bad_parameter_is_reported_at_once():
    with pytest.raises(InvalidInput) as refused:
        ReportFilter.from_params(
            {"status": "lost", "bbox": "1,2,3", "submitted_from": "yesterday", "id": "a"}
        )
    assert set(refused.value.fields) == {"status", "bbox", "submitted_from", "id"}


def test_a_reversed_date_range_is_refused():
    with pytest.raises(InvalidInput) as refused:
        ReportFilter.from_params({"submitted_from": "2026-05-02", "submitted_to": "2026-05-01"})
    assert "submitted_to" in refused.value.fields


def test_a_date_bound_covers_the_whole_day():
    parsed = ReportFilter.from_params({"submitted_to": "2026-05-01"})
    assert parsed.submitted_to is not None
    assert (parsed.submitted_to.hour, parsed.submitted_to.minute) == (23, 59)


def test_empty_parameters_do_not_filter():
    assert ReportFilter.from_params({"status": "", "q": "", "bbox": None}) == ReportFilter()


@pytest.mark.parametrize(
    ("name", "value"),
    [("q", "đèn\x00"), ("submitted_from", "0001-01-01"), ("updated_before", "9999-12-31T23:59")],
)
def test_values_that_would_break_the_database_are_refused(name, value):
    with pytest.raises(InvalidInput) as refused:
        ReportFilter.from_params({name: value})
    assert name in refused.value.fields
