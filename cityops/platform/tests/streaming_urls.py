"""Streamed answers for test_asgi.py: a finite one, and one that never ends by itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path

ENDED: list[str] = []  # the endless stream says here that it was stopped


def three_parts(request: HttpRequest) -> StreamingHttpResponse:
    async def parts() -> AsyncIterator[bytes]:
        for part in (b"one ", b"two ", b"three"):
            yield part

    return StreamingHttpResponse(parts())


def endless(request: HttpRequest) -> StreamingHttpResponse:
    async def events() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"data: tick\n\n"
                await asyncio.sleep(0.01)
        finally:
            ENDED.append("endless")

    return StreamingHttpResponse(events(), content_type="text/event-stream")


urlpatterns = [path("three/", three_parts), path("endless/", endless)]
