"""`python -m performance.worker`: consumes events into performance's DB and relays its outbox."""
from sipk_shared import revocations
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider
from sipk_shared.worker import run_worker

from .config import Settings
from .events import BINDING, make_handler
from .store import OUTBOX_COLLECTIONS, Store


def main() -> None:
    settings = Settings.from_env()
    setup_logging("performance-worker", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    Store(mongo.db).ensure_indexes()
    run_worker(settings, mongo, outbox_collections=OUTBOX_COLLECTIONS, binding=BINDING,
               handler=revocations.consuming(lambda: mongo.db, make_handler(lambda: Store(mongo.db))),
               periodic=[(600.0, lambda: revocations.purge(mongo.db))])


if __name__ == "__main__":
    main()
