"""Operator-confirmed reports are training examples; nothing else from the database is."""

import pytest

from cityops.intel.classifier import suggest_category
from cityops.intel.selectors import confirmed_examples
from cityops.intel.training import classifier_train
from cityops.reports import workflow
from cityops.reports.choices import RejectionReason
from cityops.reports.tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

# A word no corpus text has, in a sentence that says nothing about any category.
MADE_UP = "mấy hôm nay zorbflux nhiều quá"


@pytest.fixture
def categories():
    return {code: CategoryFactory(code=code) for code in ("other", "tourism", "sanitation")}


def _submit(category, description="Phản ánh", **kwargs):
    return workflow.report_submit(
        description=description, category=category, lat=16.46, lon=107.59, **kwargs
    )


def test_a_report_counts_once_an_operator_accepted_it_with_the_operators_category(
    categories, operator
):
    report = _submit(categories["other"], description="Khách bị chặt chém", title="Giá")
    assert confirmed_examples() == []
    workflow.report_accept(report=report, actor=operator, category=categories["tourism"])
    [example] = confirmed_examples()
    assert example.category == "tourism"
    assert example.text == "Giá\nKhách bị chặt chém"


def test_a_reclassification_after_acceptance_gives_the_new_category(categories, operator):
    report = _submit(categories["other"], description="Rác ở chợ")
    workflow.report_accept(report=report, actor=operator)
    workflow.report_reclassify(report=report, actor=operator, category=categories["sanitation"])
    assert [e.category for e in confirmed_examples()] == ["sanitation"]


def test_rejected_unreviewed_and_demo_reports_are_not_examples(categories, operator):
    rejected = _submit(categories["other"])
    workflow.report_reject(report=rejected, actor=operator, reason=RejectionReason.SPAM)
    _submit(categories["other"])  # still waiting for the IOC
    demo = _submit(categories["tourism"], is_demo=True)
    workflow.report_accept(report=demo, actor=operator)
    assert confirmed_examples() == []


def test_personal_data_never_reaches_the_training_set(categories, operator):
    report = _submit(categories["other"], description="Gọi tôi 0905 123 456 hoặc a@b.vn")
    workflow.report_accept(report=report, actor=operator)
    [example] = confirmed_examples()
    assert "0905" not in example.text
    assert "a@b.vn" not in example.text


def test_a_confirmed_report_teaches_the_classifier_a_new_word(data_dir, categories, operator):
    classifier_train(include_database=True)
    before = suggest_category(MADE_UP)
    report = _submit(categories["other"], description="Hôm nay lại có zorbflux ở đầu kiệt nhà tôi")
    workflow.report_accept(report=report, actor=operator, category=categories["tourism"])

    bundle = classifier_train(include_database=True)

    assert bundle.sources == {
        "corpus": bundle.sources["corpus"],
        "letter parts": bundle.sources["letter parts"],
        "letters": bundle.sources["letters"],
        "database": 1,
    }
    after = suggest_category(MADE_UP)
    assert after.model_version == bundle.version != before.model_version
    assert before.category != "tourism"
    assert after.category == "tourism"
