"""Finding answers: in the question's language, falling back to English and Vietnamese, the
top three with scores, nothing under the threshold; staff edits are searched at once."""

from __future__ import annotations

import pytest

from cityops.tourism.choices import Language, Topic
from cityops.tourism.complaints import complaint_detect
from cityops.tourism.language import language_detect
from cityops.tourism.models import FaqEntry, FaqText
from cityops.tourism.search import THRESHOLD, TOP, faq_search

pytestmark = pytest.mark.django_db


def test_a_question_is_answered_in_its_own_language_with_at_most_three_scored_entries(faq):
    found = faq_search("Combien coûte l'entrée de la Cité impériale ?", language="fr")
    assert 1 <= len(found) <= TOP
    assert found[0].key == "imperial-city-tickets"
    assert found[0].language == "fr"
    assert "200 000 VND" in found[0].answer
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert all(m.score >= THRESHOLD for m in found)


def test_vietnamese_typed_without_diacritics_still_finds_the_entry(faq):
    found = faq_search("dai noi mo cua may gio", language="vi")
    assert found[0].key == "imperial-city-hours"


def test_an_entry_missing_in_the_language_is_found_through_english(db):
    entry = FaqEntry.objects.create(key="cooking-class", topic=Topic.PRACTICAL)
    FaqText.objects.create(
        entry=entry,
        language=Language.EN,
        question="Where can I take a Hue cooking class?",
        answer="Several restaurants near the Citadel offer cooking classes.",
    )
    found = faq_search("cooking class Hue", language="ko")
    assert [m.key for m in found] == ["cooking-class"]
    assert found[0].language == "en"


def test_a_question_far_from_every_entry_finds_no_answer(faq):
    assert faq_search("Who won the football match yesterday?", language="en") == []


def test_an_entry_staff_add_is_found_by_the_next_search(faq):
    assert all(m.key != "cooking-class" for m in faq_search("cooking lessons", language="en"))
    entry = FaqEntry.objects.create(key="cooking-class", topic=Topic.PRACTICAL)
    FaqText.objects.create(
        entry=entry, language="en", question="Cooking lessons in Hue?", answer="Ask your hotel."
    )
    assert faq_search("cooking lessons", language="en")[0].key == "cooking-class"


def test_an_inactive_entry_is_not_answered(faq):
    FaqEntry.objects.filter(key="thien-mu-pagoda").update(is_active=False)
    found = faq_search("Is Thien Mu Pagoda free?", language="en")
    assert "thien-mu-pagoda" not in [m.key for m in found]


@pytest.mark.parametrize(
    "text",
    [
        "The taxi driver overcharged me",
        "Tôi bị chặt chém ở quán ăn",
        "toi bi chat chem o quan an",
        "택시 기사한테 바가지를 썼어요",
        "出租车司机宰客",
        "タクシーでぼったくられました",
        "Le chauffeur m'a arnaqué",
    ],
)
def test_complaints_are_recognised_in_the_six_languages(text):
    assert complaint_detect(text)


@pytest.mark.parametrize(
    "text", ["How much is a taxi to the airport?", "Vé Đại Nội bao nhiêu?", "皇城门票多少钱？"]
)
def test_plain_questions_are_not_complaints(text):
    assert not complaint_detect(text)


def test_an_empty_text_is_read_as_english():
    assert language_detect("   ") == Language.EN
