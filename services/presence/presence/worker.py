"""`python -m presence.worker`: consumes events into presence's DB and relays its outbox."""
import logging
from datetime import timedelta

from sipk_shared import revocations
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider
from sipk_shared.worker import run_worker

from .attendance import utc_clock
from .closing import DailyClose
from .config import Settings
from .directory import Directory
from .events import BINDING, make_handler
from .readmodels import ReadModels
from .settlement import DaySettlement
from .store import OUTBOX_COLLECTIONS, Store

log = logging.getLogger(__name__)


def main() -> None:
    settings = Settings.from_env()
    setup_logging("presence-worker", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    Store(mongo.db).ensure_indexes()

    def purge_idempotency_keys() -> None:
        Store(mongo.db).purge_idempotency_keys(timedelta(hours=settings.idempotency_keep_hours))

    directory = Directory(lambda: Store(mongo.db), ttl_s=settings.office_cache_s)
    # the only writer of the roll and the day sheets: relay hook + consumer, one at a time
    read_models = ReadModels(lambda: Store(mongo.db))

    def close_yesterday() -> None:
        """Close the day before today in every office zone (idempotent; a crash resumes next run)."""
        store = Store(mongo.db)
        DailyClose(store, directory, utc_clock, read_models,
                   settle=DaySettlement(store, directory).settle).close_yesterday()

    def pack_read_models() -> None:
        """Packed copies of the roll and of the last two days' sheets (ended in every zone by now or soon)."""
        read_models.pack_roll()
        today = utc_clock().date()
        for back in (2, 1):
            read_models.pack_day((today - timedelta(days=back)).isoformat())

    def build_read_models() -> None:
        if read_models.rebuild_if_needed(utc_clock().date()):
            log.info("read models rebuilt from the full collections")
        read_models.pack_roll()

    run_worker(settings, mongo, outbox_collections=OUTBOX_COLLECTIONS, binding=BINDING,
               handler=revocations.consuming(lambda: mongo.db, make_handler(lambda: Store(mongo.db),
                                                                             on_employee=read_models.sync_employee)),
               periodic=[(3600.0, purge_idempotency_keys), (600.0, close_yesterday), (300.0, pack_read_models),
                         (600.0, lambda: revocations.purge(mongo.db))],
               prepare=build_read_models, on_relayed=read_models.on_relayed)


if __name__ == "__main__":
    main()
