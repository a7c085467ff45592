"""Adapters at the edge: one small module per outside platform (docs/channels.md).

Each sends one text to one conversation over the platform's documented HTTP API and raises
``SendFailed`` when the platform refuses it or cannot be reached; tests run them against a
local HTTP server speaking the platform's JSON. Registered in ``ChannelsConfig.ready``.
"""

from __future__ import annotations

from typing import Any

import requests

from cityops.channels.outbound import SendFailed

TIMEOUT_SECONDS = 10.0
_session = requests.Session()


class FetchFailed(Exception):
    """A file a platform pointed to could not be fetched within the limits."""


def post_json(url: str, *, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    """POST ``body`` as JSON; the decoded answer, or ``SendFailed`` on a network error, a
    non-2xx status or an answer that is not JSON (the token is never part of the message)."""
    try:
        answer = _session.post(url, json=body, headers=headers or {}, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise SendFailed(f"unreachable: {type(error).__name__}") from None
    try:
        data = answer.json()
    except ValueError:
        data = None
    if not 200 <= answer.status_code < 300:
        raise SendFailed(f"HTTP {answer.status_code}: {_error_text(data)}")
    if data is None:
        raise SendFailed(f"HTTP {answer.status_code}: the answer is not JSON")
    return data


def _error_text(data: Any) -> str:
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error)[:300]
        return str(data.get("message") or error or data)[:300]
    return "no details"


def file_fetch(url: str, *, max_bytes: int) -> bytes:
    """The bytes at ``url`` (a photo a citizen sent, on the platform's CDN), read no further
    than ``max_bytes``: a larger file raises ``FetchFailed`` without being read whole."""
    if not url.startswith(("https://", "http://")):
        raise FetchFailed("not an http(s) address")
    try:
        with _session.get(url, stream=True, timeout=TIMEOUT_SECONDS) as answer:
            if answer.status_code != 200:
                raise FetchFailed(f"HTTP {answer.status_code}")
            length = answer.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchFailed("too large")
            data = bytearray()
            for chunk in answer.iter_content(64 * 1024):
                data += chunk
                if len(data) > max_bytes:
                    raise FetchFailed("too large")
            return bytes(data)
    except requests.RequestException as error:
        raise FetchFailed(f"unreachable: {type(error).__name__}") from None
