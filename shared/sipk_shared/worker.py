"""The worker process every service runs beside its API: outbox relay + event consumer.

Each loop runs in its own thread with its own AMQP connection (pika
connections are not shared between threads).
"""
from __future__ import annotations

import logging
import signal
import threading
from typing import Callable

from .bus import Consumer, Publisher, QueueBinding
from .inbox import Inbox
from .mongo import MongoProvider
from .outbox import OutboxRelay
from .settings import CommonSettings

log = logging.getLogger(__name__)


def run_worker(settings: CommonSettings, mongo: MongoProvider, *, outbox_collections: list[str],
               binding: QueueBinding | None = None, handler: Callable[[dict], None] | None = None,
               periodic: list[tuple[float, Callable[[], None]]] | None = None) -> None:
    """outbox_collections: the collections written with sipk_shared.outbox's helpers."""
    stopping = threading.Event()

    def _stop(signum, _frame):
        log.info("worker stopping", extra={"fields": {"signal": signum}})
        stopping.set()
        if consumer is not None:
            consumer.stop()

    consumer: Consumer | None = None
    if binding is not None and handler is not None:
        consumer = Consumer(settings.amqp_url, settings.exchange, binding, Inbox(mongo.db).wrap(handler))

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    relay = OutboxRelay(mongo.db, outbox_collections, Publisher(settings.amqp_url, settings.exchange))
    threads = [threading.Thread(target=relay.run_forever, args=(stopping.is_set,), name="outbox-relay", daemon=True)]
    for interval, job in periodic or []:
        threads.append(threading.Thread(target=_every, args=(interval, job, stopping), name=job.__name__, daemon=True))
    for thread in threads:
        thread.start()
    log.info("worker started", extra={"fields": {"outbox": outbox_collections,
                                                 "queue": binding.queue if binding else None}})
    if consumer is not None:
        consumer.run()
    else:
        stopping.wait()
    for thread in threads:
        thread.join(timeout=5)


def _every(interval: float, job: Callable[[], None], stopping: threading.Event) -> None:
    while not stopping.wait(interval):
        try:
            job()
        except Exception:  # noqa: BLE001 - a failed run is retried next interval
            log.exception("periodic job failed", extra={"fields": {"job": job.__name__}})
