"""RabbitMQ publisher and consumer (pika).

pika is not thread-safe and a BlockingConnection only answers heartbeats while
it is being called, so each object here owns its own connection and is used
from one thread. Web workers never touch pika: they write to the outbox and a
worker process relays.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Callable

import pika
from pika.exceptions import AMQPError, NackError, UnroutableError
from pymongo.errors import ConnectionFailure

from .events import validate_envelope
from .metrics import EVENTS_CONSUMED, EVENTS_DEAD_LETTERED

log = logging.getLogger(__name__)

DEAD_LETTER_SUFFIX = ".dead"
RETRY_HEADER = "x-sipk-attempts"


class PermanentError(Exception):
    """A message that can never succeed (bad envelope, unknown data): dead-letter at once."""


class _DatabaseAway(Exception):
    """The handler's database did not answer (raised from pymongo's ConnectionFailure)."""


@dataclass(frozen=True)
class QueueBinding:
    queue: str
    patterns: tuple[str, ...]


def _params(url: str) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.heartbeat = 30
    params.blocked_connection_timeout = 30
    params.connection_attempts = 1
    params.socket_timeout = 5
    return params


def declare_exchange(channel, exchange: str) -> None:
    channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)


def declare_queue(channel, exchange: str, binding: QueueBinding) -> None:
    """Durable queue with its own dead-letter exchange and queue."""
    dlx = exchange + DEAD_LETTER_SUFFIX
    channel.exchange_declare(exchange=dlx, exchange_type="direct", durable=True)
    channel.queue_declare(queue=binding.queue + DEAD_LETTER_SUFFIX, durable=True)
    channel.queue_bind(queue=binding.queue + DEAD_LETTER_SUFFIX, exchange=dlx, routing_key=binding.queue)
    channel.queue_declare(queue=binding.queue, durable=True, arguments={
        "x-dead-letter-exchange": dlx,
        "x-dead-letter-routing-key": binding.queue,
    })
    for pattern in binding.patterns:
        channel.queue_bind(queue=binding.queue, exchange=exchange, routing_key=pattern)


class Backoff:
    """Capped exponential backoff for reconnects."""

    def __init__(self, first: float = 0.5, cap: float = 15.0):
        self.first, self.cap, self.current = first, cap, first

    def reset(self) -> None:
        self.current = self.first

    def next(self) -> float:
        delay = self.current
        self.current = min(self.cap, self.current * 2)
        return delay


class Publisher:
    """Publishes envelopes with publisher confirms and persistent delivery.

    `publish` raises on failure (after dropping the broken connection), so the
    caller — the outbox relay — keeps the event pending and retries later.
    """

    def __init__(self, amqp_url: str, exchange: str):
        self._url = amqp_url
        self._exchange = exchange
        self._connection: pika.BlockingConnection | None = None
        self._channel = None

    def _ensure(self):
        if self._channel is None or self._channel.is_closed or self._connection is None or self._connection.is_closed:
            self.close()
            self._connection = pika.BlockingConnection(_params(self._url))
            self._channel = self._connection.channel()
            declare_exchange(self._channel, self._exchange)
            self._channel.confirm_delivery()
        return self._channel

    def publish(self, envelope: dict) -> None:
        validate_envelope(envelope)
        body = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode()
        props = pika.BasicProperties(
            content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=envelope["id"],
            type=envelope["type"],
            headers={"request_id": envelope.get("request_id")} if envelope.get("request_id") else None,
        )
        try:
            channel = self._ensure()
            # With confirms on, basic_publish blocks until the broker acks and
            # raises NackError/UnroutableError otherwise.
            channel.basic_publish(exchange=self._exchange, routing_key=envelope["type"], body=body, properties=props)
        except (AMQPError, OSError, NackError, UnroutableError):
            self.close()
            raise

    def process_events(self) -> None:
        """Let pika answer heartbeats while the relay is idle."""
        if self._connection is not None and self._connection.is_open:
            try:
                self._connection.process_data_events(time_limit=0)
            except (AMQPError, OSError):
                self.close()

    def close(self) -> None:
        try:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass
        self._connection = None
        self._channel = None


Handler = Callable[[dict], None]


class Consumer:
    """Consumes one durable queue with manual acks, prefetch and dead-lettering.

    A handler that raises is retried up to `max_attempts` times (re-published
    with an attempt counter, so other messages are not blocked behind it),
    then dead-lettered with the error. PermanentError dead-letters at once.
    Connection loss reconnects with capped backoff; unacked messages are
    redelivered by the broker, which the inbox turns into no-ops.
    """

    def __init__(self, amqp_url: str, exchange: str, binding: QueueBinding, handler: Handler,
                 *, prefetch: int = 50, max_attempts: int = 5):
        self._url = amqp_url
        self._exchange = exchange
        self._binding = binding
        self._handler = handler
        self._prefetch = prefetch
        self._max_attempts = max_attempts
        self._stopping = False
        self._connection = None
        self.consumed = 0
        self.dead_lettered = 0

    def setup(self) -> None:
        """Declare exchange, queue and bindings (idempotent)."""
        connection = pika.BlockingConnection(_params(self._url))
        try:
            channel = connection.channel()
            declare_exchange(channel, self._exchange)
            declare_queue(channel, self._exchange, self._binding)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopping = True

    def run(self, *, idle_callback: Callable[[], None] | None = None) -> None:
        backoff = Backoff()
        while not self._stopping:
            try:
                self._connection = pika.BlockingConnection(_params(self._url))
                channel = self._connection.channel()
                declare_exchange(channel, self._exchange)
                declare_queue(channel, self._exchange, self._binding)
                channel.basic_qos(prefetch_count=self._prefetch)
                backoff.reset()
                log.info("consuming", extra={"fields": {"queue": self._binding.queue}})
                for method, props, body in channel.consume(self._binding.queue, inactivity_timeout=1.0):
                    if self._stopping:
                        break
                    if method is None:
                        if idle_callback:
                            idle_callback()
                        continue
                    self._handle(channel, method, props, body)
                channel.cancel()
                self._connection.close()
            except (AMQPError, OSError) as exc:
                delay = backoff.next()
                log.warning("broker connection lost; reconnecting",
                            extra={"fields": {"error": repr(exc), "retry_in_s": delay}})
                self._connection = None
                time.sleep(delay)

    def _handle(self, channel, method, props, body: bytes) -> None:
        """Handle one message; while the service's database is unreachable, wait and try the
        same message again (it is not the message's fault: counting it as an attempt would
        dead-letter every event that arrives during a database restart)."""
        backoff = Backoff(first=0.5, cap=5.0)
        while True:
            try:
                self._handle_once(channel, method, props, body)
                return
            except _DatabaseAway as away:
                if self._stopping:
                    channel.basic_nack(method.delivery_tag, requeue=True)
                    return
                delay = backoff.next()
                log.warning("database unreachable; holding the message",
                            extra={"fields": {"queue": self._binding.queue, "error": repr(away.__cause__),
                                              "retry_in_s": delay}})
                self._connection.sleep(delay)  # answers the broker's heartbeats meanwhile

    def _handle_once(self, channel, method, props, body: bytes) -> None:
        headers = dict(props.headers or {})
        attempts = int(headers.get(RETRY_HEADER, 0)) + 1
        try:
            try:
                envelope = validate_envelope(json.loads(body))
            except (ValueError, UnicodeDecodeError) as exc:
                raise PermanentError(str(exc)) from exc
            try:
                self._handler(envelope)
            except ConnectionFailure as exc:
                raise _DatabaseAway() from exc
        except _DatabaseAway:
            raise  # not an attempt: _handle waits and tries again
        except PermanentError as exc:
            self._dead_letter(channel, method, props, body, headers, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
            if attempts >= self._max_attempts:
                self._dead_letter(channel, method, props, body, headers, repr(exc))
                return
            log.warning("handler failed; will retry",
                        extra={"fields": {"queue": self._binding.queue, "attempt": attempts, "error": repr(exc)}})
            headers[RETRY_HEADER] = attempts
            time.sleep(min(2.0, 0.1 * 2 ** attempts))
            # Re-queue at the tail of our own queue (default exchange), then ack the original.
            channel.basic_publish(exchange="", routing_key=self._binding.queue, body=body,
                                  properties=_with_headers(props, headers))
            channel.basic_ack(method.delivery_tag)
            return
        channel.basic_ack(method.delivery_tag)
        self.consumed += 1
        EVENTS_CONSUMED.labels(self._binding.queue).inc()

    def _dead_letter(self, channel, method, props, body, headers, error: str) -> None:
        headers["x-sipk-error"] = error[:500]
        channel.basic_publish(exchange=self._exchange + DEAD_LETTER_SUFFIX, routing_key=self._binding.queue,
                              body=body, properties=_with_headers(props, headers))
        channel.basic_ack(method.delivery_tag)
        self.dead_lettered += 1
        EVENTS_DEAD_LETTERED.labels(self._binding.queue).inc()
        log.error("message dead-lettered",
                  extra={"fields": {"queue": self._binding.queue, "message_id": props.message_id, "error": error[:500]}})


def _with_headers(props, headers: dict) -> pika.BasicProperties:
    return pika.BasicProperties(
        content_type=props.content_type, delivery_mode=pika.DeliveryMode.Persistent,
        message_id=props.message_id, type=props.type, headers=headers,
    )
