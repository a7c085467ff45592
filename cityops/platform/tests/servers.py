"""Helpers for the tests that start real servers (uvicorn, redis-server, PostgreSQL)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(
    port: int, process: subprocess.Popen, log: Path, *, seconds: float = 30
) -> None:
    """Until ``/healthz`` answers 200 on ``port``; fails with the server's log otherwise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"uvicorn on {port} exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"uvicorn on {port} did not start:\n{log.read_text()}")


def redis_or_skip(url: str) -> None:
    """Skip a test that needs the real Redis at ``url`` when none answers there, except in CI
    (CI=true), where a missing Redis is a failure: `.ci/run` starts one."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis not reachable at {url} (CI requires it)")
