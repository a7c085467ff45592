"""The Vietnamese catalogue is complete, and the compiled .mo files say what their .po files say.

Compilation is compared by content, not by modification time: git does not keep file times, so a
fresh checkout can leave a correct .mo "older" than its .po. A .mo that differs from its .po, or
is missing, fails; run ``make messages`` (or ``cityops compilemessages``) to fix it.
"""

import ast
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])


def _catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields["msgid"]

    @property
    def translations(self) -> list[str]:
        return [value for key, value in sorted(self.fields.items()) if key.startswith("msgstr")]

    @property
    def is_compiled(self) -> bool:
        """What msgfmt puts in the .mo: translated entries, not fuzzy ones (bar the header)."""
        return all(self.translations) and ("fuzzy" not in self.flags or self.msgid == "")

    @property
    def mo_key(self) -> str:
        """The entry's key in a .mo file: context EOT msgid, then NUL plural if any."""
        key = self.msgid
        if "msgctxt" in self.fields:
            key = f"{self.fields['msgctxt']}\x04{key}"
        if "msgid_plural" in self.fields:
            key = f"{key}\x00{self.fields['msgid_plural']}"
        return key


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry = Entry()
    key = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if starts_entry and any(name.startswith("msgstr") for name in entry.fields):
            entries.append(entry)
            entry = Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry.fields[key] += ast.literal_eval(line)
        else:
            key, quoted = line.split(" ", 1)
            entry.fields[key] = ast.literal_eval(quoted)
    entries.append(entry)
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """Every original → translation pair of a GNU .mo file."""
    data = path.read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    assert struct.unpack(f"{order}I", data[:4])[0] == 0x950412DE, f"{path} is not a .mo file"
    count, originals, translations = struct.unpack(f"{order}3I", data[8:20])

    def string(table: int, index: int) -> str:
        length, offset = struct.unpack(
            f"{order}2I", data[table + 8 * index : table + 8 * index + 8]
        )
        return data[offset : offset + length].decode("utf-8")

    return {string(originals, i): string(translations, i) for i in range(count)}


def comparable(catalogue: dict[str, str]) -> dict[str, str]:
    """The catalogue without the header's POT-Creation-Date, which newer msgfmt leaves out."""
    if "" not in catalogue:
        return catalogue
    lines = catalogue[""].splitlines(keepends=True)
    header = "".join(line for line in lines if not line.startswith("POT-Creation-Date:"))
    return {**catalogue, "": header}


def test_every_vietnamese_message_is_translated():
    untranslated = [
        entry.msgid for entry in read_po(_catalogue("vi")) if not all(entry.translations)
    ]
    assert untranslated == []


def test_no_vietnamese_message_is_marked_fuzzy():
    fuzzy = [entry.msgid for entry in read_po(_catalogue("vi")) if "fuzzy" in entry.flags]
    assert fuzzy == []


def test_vietnamese_catalogue_declares_its_language_and_a_single_plural_form():
    header = read_po(_catalogue("vi"))[0]
    assert header.msgid == ""
    assert "Language: vi\n" in header.translations[0]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.translations[0]
    assert "charset=UTF-8" in header.translations[0]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_compiled_catalogue_says_exactly_what_its_source_says(language):
    po = _catalogue(language)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run cityops compilemessages"
    expected = comparable(
        {
            entry.mo_key: "\x00".join(entry.translations)
            for entry in read_po(po)
            if entry.is_compiled
        }
    )
    compiled = comparable(read_mo(mo))
    stale = sorted(
        key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)
    )
    assert stale == [], f"{mo} is out of date with {po}: run cityops compilemessages"


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("report", "phản ánh"),
        ("Field reports", "Phản ánh hiện trường"),
        ("agency", "đơn vị xử lý"),
        ("deadline", "thời hạn xử lý"),
        ("In progress", "Đang xử lý"),
        ("Assigned", "Đã chuyển xử lý"),
        ("Satisfied (Hài lòng)", "Hài lòng"),
        ("Reports at a glance", "Tổng quan phản ánh"),
    ],
)
def test_key_terms_read_as_vietnamese_city_operations_centres_say_them(english, vietnamese):
    with translation.override("vi"):
        assert translation.gettext(english) == vietnamese
