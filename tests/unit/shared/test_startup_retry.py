import pytest
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from sipk_shared.mongo import run_when_database_answers


def test_retries_while_the_database_is_unreachable_then_runs():
    calls = []

    def task():
        calls.append(1)
        if len(calls) < 3:
            raise AutoReconnect("connection closed")

    run_when_database_answers(task, what="indexes", timeout_s=10)
    assert len(calls) == 3


def test_gives_up_after_the_timeout():
    def task():
        raise ServerSelectionTimeoutError("no server")

    with pytest.raises(ServerSelectionTimeoutError):
        run_when_database_answers(task, what="indexes", timeout_s=0.6)


def test_other_errors_are_not_retried():
    calls = []

    def task():
        calls.append(1)
        raise SystemExit("bad bootstrap NIP")

    with pytest.raises(SystemExit):
        run_when_database_answers(task, what="bootstrap", timeout_s=10)
    assert len(calls) == 1
