"""dev/stack.py's idea of "running": a zombie is dead, and a recycled pid is not ours."""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture()
def stack(tmp_path, monkeypatch):
    monkeypatch.setenv("SIPK_RUN_DIR", str(tmp_path / "run"))
    monkeypatch.setenv("SIPK_PORT_OFFSET", "0")
    spec = importlib.util.spec_from_file_location("sipk_dev_stack", ROOT / "dev" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wait_state(pid: int, state: str) -> None:
    for _ in range(100):
        text = Path(f"/proc/{pid}/stat").read_text()
        if text[text.rindex(")") + 2] == state:
            return
        time.sleep(0.05)
    pytest.fail(f"process {pid} never reached state {state}")


def test_a_killed_process_that_is_not_reaped_yet_is_dead(stack):
    stack.start("sleeper", ["sleep", "60"])
    pid = stack.alive("sleeper")
    assert pid
    os.kill(pid, signal.SIGKILL)       # we are its parent and do not wait(): a zombie
    wait_state(pid, "Z")
    assert stack.alive("sleeper") is None
    stack.start("sleeper", ["sleep", "60"])  # `up` starts it again
    assert stack.alive("sleeper") not in (None, pid)
    stack.stop("sleeper")


def test_a_pid_given_to_another_process_is_not_ours(stack):
    other = subprocess.Popen(["sleep", "60"], start_new_session=True)  # a group leader, like our processes
    try:
        stack.PIDS.mkdir(parents=True, exist_ok=True)
        stack.pid_file("mongo").write_text(f"{other.pid} 12345")   # the start time we recorded was another
        assert stack.alive("mongo") is None
        stack.stop("mongo")            # and `down` leaves it alone
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_stop_ends_the_whole_group(stack):
    stack.start("group", [sys.executable, "-c",
                          "import subprocess, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"])
    pid = stack.alive("group")
    time.sleep(0.3)
    stack.stop("group")
    # nothing of the group runs any more (an orphaned zombie may wait for a PID 1 that never reaps)
    assert stack._group_only_zombies(pid)
