"""The machine a bench ran on, as every ``bench/results/*.json`` describes it under "machine"."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    """The machine's memory, None where it cannot be read."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def loadavg() -> list[float]:
    """The 1, 5 and 15 minute load averages: what else was running on the shared cores."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def command_version(command: list[str]) -> str:
    """The first line a tool prints about its version, "unknown" where it does not run."""
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10)  # noqa: S603
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine(*, memory: bool = False, **versions: object) -> dict[str, object]:
    """The processor, its cores, (the memory,) Python and the system, then ``versions``."""
    described: dict[str, object] = {"cpu_model": cpu_model(), "nproc": os.cpu_count()}
    if memory:
        described["memory_gib"] = memory_gib()
    described |= {"python": platform.python_version(), "platform": platform.platform()}
    return described | versions


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of ``pids`` and their threads so far; a process gone counts 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / os.sysconf("SC_CLK_TCK")
