"""Bodies over the limit are refused with 413 before they are read (bodylimit.py, asgi.py)."""

import asyncio
import json
from collections.abc import Iterator

import pytest

from cityops.platform.asgi import SyncChainASGIHandler
from cityops.platform.bodylimit import request_body_limit

MB = 1024 * 1024
CHUNK = MB


def _chunks(total: int) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        size = min(CHUNK, total - sent)
        sent += size
        yield b"x" * size


def _post(path: str, *, length: int | None, total: int, content_type: str) -> dict:
    """POST ``total`` bytes through the ASGI application, as a server would hand them over;
    ``length`` is the declared Content-Length (None: chunked). Counts the bytes it read."""
    result: dict = {"read": 0, "messages": []}
    chunks = _chunks(total)

    async def receive():
        chunk = next(chunks, None)
        if chunk is None:
            if result["read"] >= total:
                await asyncio.Event().wait()  # the client waits for the answer
            return {"type": "http.request", "body": b"", "more_body": False}
        result["read"] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": result["read"] < total}

    async def send(message):
        result["messages"].append(message)

    headers = [
        (b"host", b"testserver"),
        (b"content-type", content_type.encode()),
        (b"accept-language", b"en"),
    ]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": headers, "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip
    asyncio.run(asyncio.wait_for(SyncChainASGIHandler()(scope, receive, send), timeout=30))
    start = next(m for m in result["messages"] if m["type"] == "http.response.start")
    result["status"] = start["status"]
    result["headers"] = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    result["body"] = b"".join(
        m.get("body", b"") for m in result["messages"] if m["type"] == "http.response.body"
    )
    return result


PHOTO_FORM = "multipart/form-data; boundary=xyz"


def test_the_limit_is_every_photo_at_the_largest_size_with_room_for_the_fields(settings):
    settings.CITYOPS_MAX_PHOTOS = 5
    settings.CITYOPS_UPLOAD_MAX_BYTES = 10 * MB
    assert request_body_limit() == 51 * MB


@pytest.mark.django_db(transaction=True)
def test_a_300_mb_photo_is_refused_in_the_apis_shape_without_being_read():
    answer = _post("/api/v1/reports", length=300 * MB, total=300 * MB, content_type=PHOTO_FORM)

    assert answer["read"] == 0
    assert answer["status"] == 413
    assert answer["headers"]["connection"] == "close"  # the server drops the rest unread
    body = json.loads(answer["body"])
    assert body["code"] == "too_large"
    assert body["message"].startswith("The request is too large: at most 51 MB")
    assert set(body) == {"code", "message", "fields"}


@pytest.mark.django_db(transaction=True)
def test_open311_refuses_it_in_its_own_error_document():
    answer = _post(
        "/open311/v2/requests.json", length=300 * MB, total=300 * MB, content_type=PHOTO_FORM
    )

    assert (answer["read"], answer["status"]) == (0, 413)
    [error] = json.loads(answer["body"])
    assert error["code"] == 413
    assert "too large" in error["description"]


@pytest.mark.django_db(transaction=True)
def test_the_portal_refuses_it_with_a_page_saying_why():
    answer = _post("/reports/new", length=300 * MB, total=300 * MB, content_type=PHOTO_FORM)

    assert (answer["read"], answer["status"]) == (0, 413)
    assert answer["headers"]["content-type"].startswith("text/html")
    assert "at most 51 MB can be sent at once (5 photos of up to 10 MB each)" in (
        answer["body"].decode()
    )


@pytest.mark.django_db(transaction=True)
def test_a_chunked_body_is_read_only_up_to_the_limit(settings):
    settings.CITYOPS_MAX_PHOTOS = 2
    settings.CITYOPS_UPLOAD_MAX_BYTES = 2 * MB  # a limit of 5 MB
    answer = _post("/api/v1/reports", length=None, total=300 * MB, content_type=PHOTO_FORM)

    assert answer["status"] == 413
    assert answer["read"] <= request_body_limit() + CHUNK
    assert json.loads(answer["body"])["code"] == "too_large"


@pytest.mark.django_db(transaction=True)
def test_a_body_within_the_limit_is_read_and_served_as_before():
    answer = _post("/api/v1/categories", length=3 * MB, total=3 * MB, content_type=PHOTO_FORM)

    assert answer["read"] == 3 * MB
    assert answer["status"] == 405  # the route's own answer: the body was not refused


@pytest.mark.django_db
def test_under_wsgi_a_declared_length_over_the_limit_is_refused_too(client):
    response = client.post(
        "/api/v1/reports", b"x", content_type=PHOTO_FORM, CONTENT_LENGTH=str(300 * MB)
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "Connection" not in response  # WSGI servers forbid hop-by-hop headers
