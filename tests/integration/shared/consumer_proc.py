"""A consumer in its own process, for the bus integration tests.

    python consumer_proc.py AMQP_URL MONGO_URI DB QUEUE PATTERN [SLEEP_S]

Consumes QUEUE (bound to PATTERN on the project exchange) through the inbox;
each handled event increments effects[event id].applied in DB. Before a
handler sleeps it writes a progress marker, so a test can kill the process
while a message is in flight (unacked).
"""
from __future__ import annotations

import sys
import time

from pymongo import MongoClient

from sipk_shared.bus import Consumer, QueueBinding
from sipk_shared.inbox import Inbox


def main() -> None:
    amqp_url, mongo_uri, db_name, queue, pattern = sys.argv[1:6]
    sleep_s = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    db = MongoClient(mongo_uri, tz_aware=True)[db_name]

    def handle(envelope: dict) -> None:
        if envelope["data"].get("fail"):
            raise RuntimeError("handler refuses this event")
        db.progress.insert_one({"event": envelope["id"], "at": time.time()})
        if sleep_s:
            time.sleep(sleep_s)
        db.effects.update_one({"_id": envelope["id"]}, {"$inc": {"applied": 1}}, upsert=True)

    consumer = Consumer(amqp_url, "sipk.events", QueueBinding(queue, (pattern,)), Inbox(db).wrap(handle),
                        prefetch=10, max_attempts=3)
    print("ready", flush=True)
    consumer.run()


if __name__ == "__main__":
    main()
