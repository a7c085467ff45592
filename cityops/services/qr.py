"""The QR codes printed at the desks and on dossier receipts: PNG images made with segno."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, *, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
