"""Under ASGI a request enters a thread once for its middleware and view, not per middleware."""

import asyncio
import threading

import pytest
from asgiref import sync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_started

from cityops.platform.asgi import SyncChainASGIHandler, _RequestThreads


@pytest.fixture
def hops(monkeypatch):
    """The names of the functions run from the event loop in a thread."""
    counted = []
    original = sync.SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        counted.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", counting)
    return counted


def _scope(path: str) -> dict:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }  # fmt: skip


async def _exchange(application, path: str) -> tuple[int, bytes]:
    communicator = ApplicationCommunicator(application, _scope(path))
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    body = await communicator.receive_output(timeout=10)
    await communicator.wait(timeout=10)
    return start["status"], body["body"]


def _get(application, path: str) -> tuple[int, bytes]:
    return asyncio.run(_exchange(application, path))


@pytest.mark.django_db(transaction=True)
def test_a_request_enters_a_thread_once_for_its_middleware_and_view(hops):
    status, body = _get(SyncChainASGIHandler(), "/healthz")

    assert (status, body) == (200, b'{"status": "ok"}')
    # The chain; besides it only Django's request signals and the response's closing.
    assert [hop for hop in hops if "healthz" in hop or "Middleware" in hop] == []
    assert len(hops) <= 3, hops


@pytest.mark.django_db(transaction=True)
def test_djangos_own_handler_hops_for_each_middleware(hops):
    status, _ = _get(ASGIHandler(), "/healthz")

    assert status == 200
    assert len(hops) > 10, hops  # what SyncChainASGIHandler saves


@pytest.mark.django_db(transaction=True)
def test_a_missing_page_is_still_the_404_page():
    status, body = _get(SyncChainASGIHandler(), "/no-such-page/")

    assert status == 404
    assert "<h1>Không tìm thấy trang</h1>".encode() in body


@pytest.fixture
def request_threads():
    """The thread each request's synchronous work ran on (Django's request_started is sent
    there, as the middleware chain runs there)."""
    seen = []

    def record(**_kwargs):
        seen.append(threading.current_thread())

    request_started.connect(record, weak=False, dispatch_uid="test-request-threads")
    yield seen
    request_started.disconnect(dispatch_uid="test-request-threads")


@pytest.mark.django_db(transaction=True)
def test_one_request_after_another_runs_on_the_same_thread(request_threads):
    """Django starts a thread for every request; this handler keeps them."""
    application = SyncChainASGIHandler()

    async def three():
        return [await _exchange(application, "/healthz") for _ in range(3)]

    assert [status for status, _ in asyncio.run(three())] == [200, 200, 200]
    assert len(request_threads) == 3
    assert len(set(request_threads)) == 1
    assert threading.current_thread() not in request_threads


def test_a_thread_still_running_a_request_is_not_given_to_another():
    threads = _RequestThreads(keep=4)
    busy, idle = threads.take(), threads.take()
    release = threading.Event()
    busy.submit(release.wait)  # a view still running after its client left
    idle.submit(lambda: None).result()

    threads.give_back(busy)
    threads.give_back(idle)

    assert threads.take() is idle
    assert threads.take() not in (busy, idle)
    release.set()
    busy.shutdown(wait=True)


@pytest.mark.urls("cityops.platform.tests.streaming_urls")
@pytest.mark.django_db(transaction=True)
def test_a_streamed_answer_arrives_whole():
    async def exchange():
        communicator = ApplicationCommunicator(SyncChainASGIHandler(), _scope("/three/"))
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=10)
        body = b""
        while True:
            message = await communicator.receive_output(timeout=10)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await communicator.wait(timeout=10)
        return start["status"], body

    assert asyncio.run(exchange()) == (200, b"one two three")


@pytest.mark.urls("cityops.platform.tests.streaming_urls")
@pytest.mark.django_db(transaction=True)
def test_an_endless_stream_stops_when_its_client_leaves():
    from cityops.platform.tests.streaming_urls import ENDED

    ENDED.clear()

    async def exchange():
        communicator = ApplicationCommunicator(SyncChainASGIHandler(), _scope("/endless/"))
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=10)
        first = await communicator.receive_output(timeout=10)
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(timeout=10)  # the handler ends: the stream was stopped
        return start["status"], first["body"]

    assert asyncio.run(exchange()) == (200, b"data: tick\n\n")
    assert ENDED == ["endless"]
