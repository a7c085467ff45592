"""Under ASGI a request enters a thread once for its middleware and view, not per middleware."""

import asyncio
import threading
import time

import pytest
from asgiref import sync
from asgiref.testing import ApplicationCommunicator
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_started

from cityops.platform.asgi import SyncChainASGIHandler, _RequestThread, _RequestThreads, _Turns


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


def _requests_in_turn(turns: _Turns, work: dict[str, float]) -> list[str]:
    """Each named request's synchronous part holds its turn for its seconds; the order their
    work began."""
    began: list[str] = []

    def work_of(name: str, seconds: float) -> None:
        began.append(name)
        time.sleep(seconds)

    async def requests() -> None:
        turns_taken = [
            asyncio.wrap_future(turns.submit(_RequestThread(), work_of, name, seconds))
            for name, seconds in work.items()
        ]
        await asyncio.gather(*turns_taken)

    asyncio.run(requests())
    return began


@pytest.mark.no_database
def test_requests_past_the_running_ones_wait_their_turn_in_the_order_they_came():
    turns = _Turns(size=2, long_after=10)
    work = {"a": 0.2, "b": 0.01, "c": 0, "d": 0, "e": 0}

    assert _requests_in_turn(turns, work) == ["a", "b", "c", "d", "e"]
    assert turns._began == {}
    assert not turns._waiting


@pytest.mark.no_database
def test_no_more_requests_run_at_once_than_the_turns():
    turns = _Turns(size=3, long_after=10)
    lock = threading.Lock()
    running, most = 0, 0

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.002)
        with lock:
            running -= 1

    async def many() -> None:
        futures = [turns.submit(_RequestThread(), work) for _ in range(40)]
        await asyncio.gather(*(asyncio.wrap_future(future) for future in futures))

    asyncio.run(many())
    assert most == 3


@pytest.mark.no_database
def test_a_long_request_holds_the_others_up_for_the_long_time_at_most():
    """A view waiting for a slow outside service must not stop the process's other requests."""
    turns = _Turns(size=1, long_after=0.05)
    quick_ran = threading.Event()

    async def slow_then_quick() -> float:
        began = time.monotonic()
        slow = turns.submit(_RequestThread(), quick_ran.wait, 5)  # runs until the quick one has
        quick = turns.submit(_RequestThread(), lambda: time.monotonic() - began)
        waited = await asyncio.wrap_future(quick)
        quick_ran.set()
        assert await asyncio.wrap_future(slow) is True
        return waited

    assert 0.04 < asyncio.run(slow_then_quick()) < 1


@pytest.mark.no_database
def test_a_request_that_leaves_while_it_waits_gives_up_its_place():
    turns = _Turns(size=1, long_after=10)
    release = threading.Event()
    ran: list[str] = []

    async def scenario() -> None:
        first = turns.submit(_RequestThread(), lambda: ran.append("first") or release.wait(5))
        gone = turns.submit(_RequestThread(), lambda: ran.append("gone"))
        last = turns.submit(_RequestThread(), lambda: ran.append("last"))
        assert gone.cancel()  # its client left while it waited
        release.set()
        await asyncio.gather(asyncio.wrap_future(first), asyncio.wrap_future(last))

    asyncio.run(scenario())
    assert ran == ["first", "last"]
    assert turns._began == {}


@pytest.mark.no_database
def test_a_failing_request_passes_its_error_on_and_frees_its_turn():
    turns = _Turns(size=1, long_after=10)

    def broken() -> None:
        raise ValueError("broken view")

    async def scenario() -> str:
        failed = asyncio.wrap_future(turns.submit(_RequestThread(), broken))
        after = asyncio.wrap_future(turns.submit(_RequestThread(), lambda: "answered"))
        with pytest.raises(ValueError, match="broken view"):
            await failed
        return await after

    assert asyncio.run(scenario()) == "answered"


@pytest.mark.no_database
def test_a_long_request_is_still_passed_after_an_earlier_event_loop_ended():
    """One handler serves requests from one loop and then another (the tests do)."""
    turns = _Turns(size=1, long_after=0.05)
    first_loop_over = threading.Event()

    async def left_waiting() -> None:
        turns.submit(_RequestThread(), first_loop_over.wait, 5)
        turns.submit(_RequestThread(), lambda: None)  # its timer is set in this loop

    asyncio.run(left_waiting())  # the loop ends before the timer
    first_loop_over.set()
    quick_ran = threading.Event()

    async def slow_then_quick() -> str:
        slow = turns.submit(_RequestThread(), quick_ran.wait, 5)
        quick = turns.submit(_RequestThread(), lambda: "answered")
        answer = await asyncio.wait_for(asyncio.wrap_future(quick), timeout=2)
        quick_ran.set()
        await asyncio.wrap_future(slow)
        return answer

    assert asyncio.run(slow_then_quick()) == "answered"
