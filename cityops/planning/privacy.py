"""A zone's source attributes as the public may read them.

Zones are public (the lookup, the extract, the OGC API), and a planning file may carry a plot
holder's name, ID number or phone. Fields that name or reach a person are dropped; in the text of
the others, phones, ID numbers, e-mails and titled names ("ông Nguyễn Văn A") are masked. The
import stores attributes through this, and every public answer reads them through it again, so a
layer stored before a rule was added is covered too.
"""

from __future__ import annotations

import re
from typing import Any

from cityops.intel.masking import mask_personal_data

# Field names of a person (a plot's holder, an applicant) or their contacts.
PERSONAL_FIELD = re.compile(
    r"chu_?(su_?dung|sd|so_?huu)|chusd|ten_?chu|owner|ho_?(va_?)?ten|fullname|nguoi|person"
    r"|applicant|contact|lien_?he|cccd|cmnd|so_?dien_?thoai|dien_?thoai|sdt|phone|e_?mail"
    r"|dia_?chi_?chu",
    re.IGNORECASE,
)
# A person named in free text: a title, then the capitalised words of the name.
_TITLED = re.compile(r"\b((?i:ông|bà|anh|chị|cô|chú|mr\.?|mrs\.?|ms\.?))(\s+)((?:\w+\s*){1,5})")


def _titled_name(match: re.Match[str]) -> str:
    words = match.group(3).split()
    name = 0
    while name < len(words) and words[name][0].isupper():
        name += 1
    if not name:
        return match.group(0)
    rest = " ".join(words[name:])
    return f"{match.group(1)}{match.group(2)}•••{' ' + rest if rest else ''}"


def public_attributes(properties: dict[str, Any]) -> dict[str, Any]:
    """The attributes without the fields naming a person, their text masked. A bare name in a
    free-text field cannot be told from a place's name: the import checklist asks for such
    columns to be dropped (docs/planning.md)."""
    shown: dict[str, Any] = {}
    for key, value in properties.items():
        if PERSONAL_FIELD.search(key):
            continue
        if isinstance(value, str):
            value = mask_personal_data(_TITLED.sub(_titled_name, value))
        shown[key] = value
    return shown
