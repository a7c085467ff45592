"""Reading one raw RFC 5322 message: pure stdlib ``email`` and Pillow, no database."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from PIL import Image

# A place in the text: "16.4637, 107.5909", a Google Maps link (@lat,lon / q=lat,lon) or an
# OpenStreetMap link (#map=zoom/lat/lon, mlat=...&mlon=...).
_PAIR = re.compile(r"(?<![\d.])(-?\d{1,2}\.\d{3,})\s*[,;]\s*(-?\d{1,3}\.\d{3,})(?![\d.])")
_OSM_MAP = re.compile(r"map=\d{1,2}/(-?\d{1,2}\.\d+)/(-?\d{1,3}\.\d+)")
_OSM_MARKER = re.compile(r"mlat=(-?\d{1,2}\.\d+)&(?:amp;)?mlon=(-?\d{1,3}\.\d+)")
# Where the quoted part of a reply starts.
_ATTRIBUTION = re.compile(
    r"^\s*(On|Vào|Lúc|Le|Am|El)\b.{0,200}(wrote|viết|écrit|schrieb|escribió)\s*:\s*$",
    re.IGNORECASE,
)
_QUOTE_MARKERS = ("-----Original Message-----", "-----Thư gốc-----", "________________")
_VIETNAMESE = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]"
)
_ENGLISH = re.compile(
    r"\b(the|is|are|there|please|street|near|broken|and|of|in|at|road)\b", re.IGNORECASE
)
_AUTOMATIC_PRECEDENCE = {"bulk", "auto_reply", "junk", "list"}
_GPS_IFD = 0x8825


@dataclass(frozen=True)
class Photo:
    filename: str
    content: bytes


@dataclass(frozen=True)
class Mail:
    """What CityOps needs of one received e-mail."""

    message_id: str
    sender: str  # the address, lower-cased
    sender_name: str
    subject: str
    text: str  # the body, quoted part of a reply and signature removed
    photos: list[Photo]
    location: tuple[float, float] | None
    language: str
    recipients: list[str]  # To, Cc, Delivered-To, X-Original-To: where a thread token hides
    references: list[str] = field(default_factory=list)  # In-Reply-To first, then References
    automatic: str = ""  # why a machine sent it ("" when a person did)


def mail_parse(raw: bytes) -> Mail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    name, sender = parseaddr(str(message.get("From", "")))
    text = _body(message)
    photos = list(_photos(message))
    location = location_in_text(text) or location_in_text(str(message.get("Subject", "")))
    if location is None:
        location = next(filter(None, (photo_location(p.content) for p in photos)), None)
    headers = ("To", "Cc", "Delivered-To", "X-Original-To")
    values = [str(value) for header in headers for value in message.get_all(header, [])]
    recipients = [address.lower() for _, address in getaddresses(values) if address]
    return Mail(
        message_id=_message_id(message, raw),
        sender=sender.strip().lower(),
        sender_name=name.strip(),
        subject=" ".join(str(message.get("Subject", "")).split()),
        text=reply_strip(text),
        photos=photos,
        location=location,
        language=language_of(message, text),
        recipients=recipients,
        references=_references(message),
        automatic=automatic_reason(message),
    )


def _message_id(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID (how a second delivery is recognised); a hash of the bytes without one."""
    found = str(message.get("Message-ID", "")).strip()
    return found[:255] if found else "sha256:" + hashlib.sha256(raw).hexdigest()


def _references(message: EmailMessage) -> list[str]:
    ids: list[str] = []
    for header in ("In-Reply-To", "References"):
        for value in message.get_all(header, []):
            ids.extend(re.findall(r"<[^<>\s]+>", str(value)))
    return ids


def automatic_reason(message: EmailMessage) -> str:
    """Why the message was sent by a machine (RFC 3834 and common habits), or ""."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for header in ("X-Autoreply", "X-Autorespond"):
        if header in message:
            return header
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in _AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    _, sender = parseaddr(str(message.get("From", "")))
    if sender.split("@")[0].lower() in {"mailer-daemon", "postmaster"}:
        return "bounce"
    if "Return-Path" in message and str(message["Return-Path"]).strip() in {"<>", ""}:
        return "bounce (empty Return-Path)"
    return ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = html_text(content)
    return content.replace("\r\n", "\n").replace("\x00", "")


def html_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h\d)>", "\n", markup)
    markup = re.sub(r"(?i)<blockquote\b", "\n<blockquote", markup)
    # Quoted replies in HTML mail sit in <blockquote>; the citizen's new words come before.
    markup = re.split(r"(?i)<blockquote\b", markup, maxsplit=1)[0]
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return "\n".join(line.strip() for line in text.splitlines())


def reply_strip(text: str) -> str:
    """The citizen's own words: the quoted message, its attribution line and the signature
    below "-- " are removed."""
    kept: list[str] = []
    for line in text.splitlines():
        if line.startswith(">") or line.strip() in _QUOTE_MARKERS or _ATTRIBUTION.match(line):
            if line.startswith(">") and not kept:
                continue  # top-quoting: the quote first, the answer below
            break
        if line.rstrip() == "--":
            break
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _photos(message: EmailMessage) -> Iterable[Photo]:
    for part in message.iter_attachments() if message.is_multipart() else ():
        yield from _photos_in(part)


def _photos_in(part: EmailMessage) -> Iterable[Photo]:
    if part.is_multipart():  # a forwarded message or a related part holding the images
        for inner in part.iter_parts():
            yield from _photos_in(inner)  # type: ignore[arg-type]
        return
    if part.get_content_maintype() != "image":
        return
    content = part.get_payload(decode=True)
    if isinstance(content, bytes) and content:
        yield Photo(filename=part.get_filename() or "photo", content=content)


def location_in_text(text: str) -> tuple[float, float] | None:
    for pattern in (_OSM_MAP, _OSM_MARKER, _PAIR):
        for match in pattern.finditer(text):
            lat, lon = float(match.group(1)), float(match.group(2))
            if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
                return lat, lon
    return None


def photo_location(content: bytes) -> tuple[float, float] | None:
    """Where a photo was taken, from its EXIF GPS tags, if the camera recorded it."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            gps = image.getexif().get_ifd(_GPS_IFD)
        lat = _degrees(gps[2], gps.get(1, "N"), negative="S")
        lon = _degrees(gps[4], gps.get(3, "E"), negative="W")
    except Exception:  # no EXIF, no GPS or a malformed one: hostile bytes raise anything
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0.0, 0.0):
        return lat, lon
    return None


def _degrees(value: tuple[float, float, float], ref: str | bytes, *, negative: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    sign = -1 if ref.strip().upper() == negative else 1
    return sign * (degrees + minutes / 60 + seconds / 3600)


def language_of(message: EmailMessage, text: str) -> str:
    """The sender's language as far as it shows: Vietnamese unless clearly English."""
    declared = str(message.get("Content-Language", "")).strip().lower()[:2]
    if declared in {"vi", "en"}:
        return declared
    if _VIETNAMESE.search(text):
        return "vi"
    if len(_ENGLISH.findall(text)) >= 2:
        return "en"
    return "vi"
