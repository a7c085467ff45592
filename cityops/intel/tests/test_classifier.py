import dataclasses

import numpy as np
import pytest

from cityops.intel import classifier, store
from cityops.intel.classifier import SHORT_CONFIDENCE, suggest_category
from cityops.intel.compiled import CompiledModel
from cityops.intel.corpus import challenge_examples
from cityops.intel.letters import held_out_letters

pytestmark = pytest.mark.no_database  # the SQLite pass runs it; see conftest.py


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Đèn đường trước nhà số 12 Lê Lợi tắt cả tuần nay", "urban-infrastructure"),
        ("Ổ gà lớn giữa đường Hùng Vương, xe máy té liên tục", "traffic-infrastructure"),
        ("Rác thải ứ đọng ở đầu kiệt, bốc mùi hôi thối", "sanitation"),
        ("Quán karaoke hát tới 2h sáng, cả xóm không ngủ được", "public-order"),
        ("Xích lô ở Đại Nội đòi khách Tây 500 nghìn một vòng", "tourism"),
        ("Cán bộ một cửa phường hẹn đi hẹn lại, hồ sơ trễ hẹn 2 tháng", "administrative-conduct"),
        ("Nhà bên cạnh xây thêm tầng 4 không có giấy phép", "construction-order"),
        ("Xin hỏi lịch tiêm phòng dại cho chó mèo năm nay", "other"),
    ],
)
def test_a_clear_report_gets_its_category_with_confidence(trained, text, category):
    suggestion = suggest_category(text)
    assert suggestion.category == category
    assert suggestion.confidence > 0.5
    assert suggestion.reason == ""


def test_the_suggestion_lists_the_top_three_candidates_best_first(trained):
    suggestion = suggest_category("cống thoát nước bị tắc, mưa xuống là ngập cả đường")
    scores = [candidate.score for candidate in suggestion.candidates]
    assert len(suggestion.candidates) == 3
    assert scores == sorted(scores, reverse=True)
    assert suggestion.candidates[0].category == suggestion.category
    assert suggestion.confidence == scores[0]
    assert 0 < sum(scores) <= 1.0001
    assert suggestion.model_version == trained.version


@pytest.mark.parametrize("text", ["", "   ", "!!! ...", "😡😡"])
def test_an_empty_text_gets_no_category_and_no_confidence(data_dir, text):
    suggestion = suggest_category(text)
    assert suggestion == classifier.Suggestion(category=None, confidence=0.0, reason="empty")
    assert not list(data_dir.iterdir())  # answered without training or loading a model


@pytest.mark.parametrize("text", ["rác", "ok", "hoithoi", "ổ", "ko"])
def test_a_one_word_or_very_short_text_gets_a_low_confidence_answer(trained, text):
    suggestion = suggest_category(text)
    assert suggestion.reason == "too_short"
    assert suggestion.confidence <= SHORT_CONFIDENCE
    assert suggestion.category == suggestion.candidates[0].category


def test_a_very_short_text_keeps_its_best_guess_at_low_confidence(trained):
    suggestion = suggest_category("ổ gà")
    assert suggestion.category == "traffic-infrastructure"
    assert suggestion.candidates[0].score > SHORT_CONFIDENCE == suggestion.confidence
    assert suggestion.reason == "too_short"


def test_the_compiled_model_computes_the_pipelines_probabilities(corpus_bundle):
    compiled = CompiledModel(corpus_bundle.pipeline)
    letters = [e.text for e in held_out_letters()[::40]]  # with and without diacritics
    texts = [e.text for e in challenge_examples()] + ["zzzz qqqq", "Đèn đường hỏng", *letters]
    for text in texts:
        expected = corpus_bundle.pipeline.predict_proba([text])[0]
        assert np.allclose(compiled.probabilities(text), expected, atol=1e-9), text
    assert compiled.labels == corpus_bundle.labels


def test_the_first_suggestion_trains_and_stores_a_model_from_the_corpus(data_dir):
    assert store.current_version() is None
    suggestion = suggest_category("cây xanh gãy đổ chắn ngang đường sau bão")
    version = store.current_version()
    assert version is not None
    assert suggestion.model_version == version
    bundle = store.bundle_load(version)
    assert set(bundle.sources) == {"corpus", "letter parts", "letters"}  # no database
    assert sum(bundle.sources.values()) == sum(bundle.counts.values())


def test_the_model_is_loaded_once_per_process(trained, monkeypatch):
    loads = []
    real_load = store.bundle_load
    monkeypatch.setattr(
        store, "bundle_load", lambda version: loads.append(version) or real_load(version)
    )
    for text in ("đèn đường hỏng", "rác thải bốc mùi", "ổ gà giữa đường"):
        suggest_category(text)
    assert loads == [trained.version]


def test_a_new_version_is_picked_up_when_the_pointer_changes(trained):
    assert suggest_category("đèn đường hỏng").model_version == trained.version
    newer = dataclasses.replace(trained, version="20260202T000000000000Z-newer")
    store.bundle_save(bundle=newer)
    assert suggest_category("đèn đường hỏng").model_version == newer.version
    assert store.versions() == [trained.version, newer.version]
    assert store.current_version() == newer.version
