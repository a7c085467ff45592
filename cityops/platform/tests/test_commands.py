"""The public command interface of ARCHITECTURE §7, driven as a user would."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cityops.accounts.services import apikey_authenticate
from cityops.platform.tests.servers import free_port

CITYOPS = Path(sys.executable).with_name("cityops")


def _sqlite_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CITYOPS_JOBS_IMMEDIATE")
    }
    env.update(CITYOPS_DATA_DIR=str(data_dir), CITYOPS_JOBS_IMMEDIATE="0", **extra)
    return env


@pytest.mark.django_db
def test_apikey_create_prints_a_working_key_as_the_last_word():
    out = StringIO()
    call_command("apikey", "create", "--name", "Hue-S app", stdout=out)
    key = out.getvalue().split()[-1]
    assert apikey_authenticate(secret=key).name == "Hue-S app"
    assert apikey_authenticate(secret=key + "x") is None


@pytest.mark.no_database  # a SQLite file of its own, whatever the pass
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _sqlite_env(
        tmp_path,
        CITYOPS_PRODUCTION="1",
        SECRET_KEY="a-long-random-production-secret-" + "x7Hq9" * 10,
        ALLOWED_HOSTS="ioc.example.vn",
    )
    result = subprocess.run(
        [str(CITYOPS), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.no_database  # a SQLite file of its own, whatever the pass
def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _sqlite_env(tmp_path, CITYOPS_PRODUCTION="1", ALLOWED_HOSTS="ioc.example.vn")
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [str(CITYOPS), "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _serve(data_dir: Path, port: int, **env: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [str(CITYOPS), "run", "--port", str(port), "--no-demo"],
        env=_sqlite_env(data_dir, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                page = response.read().decode()
            return process, page
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.kill()
    raise AssertionError("cityops run did not answer:\n" + (process.stdout.read() or ""))


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=60)
    return output


@pytest.mark.no_database  # a SQLite file of its own, whatever the pass
def test_cityops_run_serves_the_city_and_seeds_only_on_first_start(tmp_path):
    port = free_port()
    process, page = _serve(tmp_path, port)
    first = _stop(process)
    assert "CityOps" in page
    assert "Seeded the Huế configuration" in first
    assert "demo account" not in first  # --no-demo: no demo users, so none are announced
    assert (tmp_path / "cityops.sqlite3").exists()

    process, _ = _serve(tmp_path, port)
    second = _stop(process)
    assert "Seeded" not in second
    assert process.returncode == 0, second


@pytest.mark.no_database  # a SQLite file of its own, whatever the pass
def test_cityops_run_does_not_let_a_local_client_choose_its_address(tmp_path):
    """Rate limits count the socket's address: X-Forwarded-For from 127.0.0.1 is not believed
    while CITYOPS_TRUSTED_PROXIES is empty (uvicorn alone would believe it from loopback)."""
    port = free_port()
    process, _ = _serve(tmp_path, port, CITYOPS_RATE_LOGIN_PER_IP="1/h")
    try:
        statuses = []
        for forwarded in ("198.51.100.1", "198.51.100.2"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/auth/token",
                data=b'{"login": "nobody", "password": "wrong-password"}',
                headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as refused:
                statuses.append(refused.code)
    finally:
        _stop(process)
    assert statuses == [401, 429]
