"""The dossier QR code's token: the dossier's id, signed with a salt of its own and dated, so it
cannot be forged, moved to another dossier, or used after ``TOKEN_MAX_AGE``."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

SALT = "cityops.services.dossier-rating"
TOKEN_MAX_AGE = timedelta(days=30)


class BadToken(Exception):
    """The token is not one of ours, or it has expired (``expired``)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def dossier_token(dossier_id: int) -> str:
    return signing.dumps(dossier_id, salt=SALT, compress=False)


def dossier_id_of(token: str) -> int:
    try:
        value = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise BadToken(expired=True) from error
    except signing.BadSignature as error:
        raise BadToken(expired=False) from error
    if not isinstance(value, int):
        raise BadToken(expired=False)
    return value
