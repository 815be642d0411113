"""Two stacks on one machine never touch each other.

Seen before: when a clean-clone `.ci/run` (SIPK_PORT_OFFSET=300) finished beside a running stack,
the running stack's RabbitMQ restarted. This starts a second stack's broker (its own offset and
run dir) beside the one under test, restarts it and takes it down again, and checks that this
stack's epmd, RabbitMQ and their files are exactly as before and that the second one left nothing.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pika
import pytest

from support import AMQP_URL, RUN_DIR

pytestmark = [pytest.mark.integration, pytest.mark.faults]

ROOT = Path(__file__).resolve().parents[3]
OFFSET = int(os.environ.get("SIPK_PORT_OFFSET") or 0)
OTHER_OFFSET = OFFSET + 37


def pid_of(run: Path, name: str) -> str | None:
    try:
        return (run / "pids" / f"{name}.pid").read_text().split()[0]
    except OSError:
        return None


def beam_pid(run: Path) -> str:
    return (run / "rabbitmq" / "beam.pid").read_text().strip()


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def epmd_names(port: int) -> str:
    return subprocess.run(["epmd", "-names"], env={**os.environ, "ERL_EPMD_PORT": str(port)},
                          capture_output=True, text=True, timeout=10).stdout


def snapshot(run: Path) -> dict:
    logs = sorted((run / "rabbitmq" / "log").glob("*.log"))
    return {"rabbitmq": pid_of(run, "rabbitmq"), "beam": beam_pid(run),
            "logs": {p.name: p.stat().st_ino for p in logs}, "epmd": epmd_names(4369 + OFFSET)}


def other_stack(tmp: Path, *args: str) -> None:
    env = {**os.environ, "SIPK_PORT_OFFSET": str(OTHER_OFFSET), "SIPK_RUN_DIR": str(tmp)}
    for key in ("SIPK_GATEWAY", "SIPK_AMQP_URL", "SIPK_MONGO_URI"):
        env.pop(key, None)
    result = subprocess.run([sys.executable, str(ROOT / "dev" / "stack.py"), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_a_second_stack_starting_restarting_and_stopping_its_broker_leaves_ours_alone(tmp_path):
    ours = Path(RUN_DIR)
    if pid_of(ours, "rabbitmq") is None:
        pytest.skip("this stack's RabbitMQ is not one dev/stack.py started")
    before = snapshot(ours)
    assert f"sipk{OFFSET or ''}" in before["epmd"]
    other = tmp_path / "other-run"

    other_stack(other, "restart", "rabbitmq")       # starts it (there was none)
    assert port_open(5672 + OTHER_OFFSET) and f"sipk{OTHER_OFFSET}" in epmd_names(4369 + OTHER_OFFSET)
    other_stack(other, "restart", "rabbitmq")       # restarts it
    other_stack(other, "down")

    # the other stack left nothing running
    assert not port_open(5672 + OTHER_OFFSET) and not port_open(4369 + OTHER_OFFSET)
    leftovers = subprocess.run(["pgrep", "-af", str(other)], capture_output=True, text=True).stdout.strip()
    assert not leftovers, leftovers
    # and ours is the same broker, same epmd, same log files, still serving
    after = snapshot(ours)
    assert after == before
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    connection.close()
