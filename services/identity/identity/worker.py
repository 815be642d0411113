"""`python -m identity.worker`: relays identity's outbox to RabbitMQ."""
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider
from sipk_shared.worker import run_worker

from .config import Settings
from .store import OUTBOX_COLLECTIONS, IdentityStore


def main() -> None:
    settings = Settings.from_env()
    setup_logging("identity-worker", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    IdentityStore(mongo.db).ensure_indexes()
    run_worker(settings, mongo, outbox_collections=OUTBOX_COLLECTIONS,
               periodic=[(600.0, lambda: IdentityStore(mongo.db).purge_throttle())])


if __name__ == "__main__":
    main()
