"""The watch list: names found without regard to diacritics or case, on word boundaries; the
mentions kept; the CSV import."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityops.press.choices import ItemPart, WatchKind
from cityops.press.extraction import ItemIn
from cityops.press.models import Mention, WatchEntry
from cityops.press.services import (
    item_analyse,
    item_record,
    watch_entries_import,
    watch_entry_create,
)
from cityops.press.tests.factories import SourceFactory
from cityops.press.text import find_all, folded_forms, pattern_for

DATA = Path(__file__).parent / "data"


def found(names: list[str], text: str) -> list[str]:
    pattern = pattern_for(folded_forms(names))
    assert pattern is not None
    return [match.text for match in find_all(pattern, text)]


@pytest.mark.parametrize(
    ("names", "text", "expected"),
    [
        (["Nguyễn Văn A"], "Ông Nguyễn Văn A phát biểu.", ["Nguyễn Văn A"]),
        (["Nguyễn Văn A"], "Ông Nguyễn Văn An phát biểu.", []),
        (["Nguyễn Văn A"], "Ông Nguyễn Văn Anh và bà Nguyễn Thị A.", []),
        (["nguyen van a"], "Theo ông NGUYỄN VĂN A, dự án chậm.", ["NGUYỄN VĂN A"]),
        (["nguyen van a"], "Nguyễn Văn A cho biết dự án đã xong.", ["Nguyễn Văn A"]),
        (["nguyen van a"], "Dự án do ông Nguyễn Văn A", ["Nguyễn Văn A"]),
        (["nguyen van a"], "(Nguyễn Văn A), «Nguyễn Văn A»; Nguyễn Văn A!", ["Nguyễn Văn A"] * 3),
        (["nguyen van a"], "Ông Nguyễn-Văn-A nói", ["Nguyễn-Văn-A"]),
        (["nguyen van a"], "ông nguyễn văn a.", ["nguyễn văn a"]),
        (["nguyen van a"], "TrầnNguyễn Văn A", []),
        (["Sở Xây dựng"], "Đại diện Sở Xây Dựng Huế cho biết", ["Sở Xây Dựng"]),
        (
            ["Sở Xây dựng"],
            "Sở Xây dựng; sở xây dựng, SO XAY DUNG.",
            ["Sở Xây dựng", "sở xây dựng", "SO XAY DUNG"],
        ),
        (["Sở Xây dựng"], "Sở Xây dựngg", []),
        (["Đông Ba"], "chợ Đông Ba và chợ dong ba", ["Đông Ba", "dong ba"]),
        (["Đông Ba"], "Dong Bang", []),
        (["dong ba"], "Đông Ba", ["Đông Ba"]),  # đ folded to d
        (["Sở Xây dựng", "SXD"], "SXD và Sở Xây dựng", ["SXD", "Sở Xây dựng"]),
    ],
)
def test_watched_names_are_found_without_diacritics_on_word_boundaries(names, text, expected):
    assert found(names, text) == expected


def test_the_place_found_is_the_original_text():
    text = "Hôm qua,  Ông Nguyễn Văn A nói"
    pattern = pattern_for(folded_forms(["nguyen van a"]))
    (match,) = find_all(pattern, text)

    assert text[match.start : match.end] == "Nguyễn Văn A"
    assert match.start == text.index("Nguyễn")


@pytest.mark.django_db
def test_an_entry_keeps_the_folded_forms_of_its_names():
    entry = watch_entry_create(
        kind=WatchKind.AGENCY, name=" Sở  Xây dựng ", aliases=["SXD", "Sở XD", ""]
    )

    assert entry.name == "Sở Xây dựng"
    assert entry.aliases == "SXD\nSở XD"
    assert entry.folded == ["so xay dung", "sxd", "so xd"]


@pytest.mark.django_db
def test_mentions_are_kept_once_per_item_and_entry(categories, frozen):
    person = watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn A")
    agency = watch_entry_create(kind=WatchKind.AGENCY, name="Sở Xây dựng", aliases=["SXD"])
    watch_entry_create(kind=WatchKind.PERSON, name="Nguyễn Văn An")
    watch_entry_create(kind=WatchKind.PERSON, name="Lê Thị B", is_active=False)
    text = (
        "Ông Nguyễn Văn A, Giám đốc Sở Xây dựng, cho biết SXD sẽ kiểm tra.\n\n"
        "Lê Thị B cũng có mặt. Nguyễn Văn A hứa sửa trong tuần."
    )
    recorded = item_record(
        source=SourceFactory(),
        entry=ItemIn(url="https://bao.vn/1", title="Sở Xây dựng kiểm tra", lead="", text=text),
    )

    item_analyse(item=recorded.item)
    item_analyse(item=recorded.item)  # read again: nothing twice

    mentions = {m.entry: m for m in Mention.objects.filter(item=recorded.item)}
    assert set(mentions) == {person, agency}
    assert (mentions[person].part, mentions[person].position) == (ItemPart.TEXT, 4)
    assert (mentions[person].matched_text, mentions[person].occurrences) == ("Nguyễn Văn A", 2)
    assert (mentions[agency].part, mentions[agency].position) == (ItemPart.TITLE, 0)
    assert mentions[agency].occurrences == 3
    assert mentions[agency].dated_at == recorded.item.dated_at


@pytest.mark.django_db
def test_the_watch_list_is_imported_from_csv():
    watch_entry_create(kind=WatchKind.AGENCY, name="Sở Xây dựng")

    result = watch_entries_import(content=(DATA / "watch.csv").read_text(encoding="utf-8"))

    assert (result.created, result.updated) == (3, 1)
    assert len(result.problems) == 1
    assert "line 6" in result.problems[0]
    agency = WatchEntry.objects.get(name="Sở Xây dựng")
    assert agency.folded == ["so xay dung", "sxd", "so xd"]
    assert WatchEntry.objects.get(name="Chợ Đông Ba").kind == WatchKind.PLACE
