"""`python -m presence.worker`: consumes events into presence's DB and relays its outbox."""
from datetime import timedelta

from sipk_shared import revocations
from sipk_shared.logs import setup_logging
from sipk_shared.mongo import MongoProvider
from sipk_shared.worker import run_worker

from . import leave_days, retention
from .annual_leave import AnnualLeave
from .attendance import utc_clock
from .closing import DailyClose
from .config import Settings
from .directory import Directory
from .events import BINDING, RESETTLE_DAYS, make_handler
from .settlement import DaySettlement
from .store import OUTBOX_COLLECTIONS, Store


def main() -> None:
    settings = Settings.from_env()
    setup_logging("presence-worker", settings.log_level)
    mongo = MongoProvider(settings.mongo_uri, settings.mongo_db)
    Store(mongo.db).ensure_indexes()

    def purge_idempotency_keys() -> None:
        Store(mongo.db).purge_idempotency_keys(timedelta(hours=settings.idempotency_keep_hours))

    directory = Directory(lambda: Store(mongo.db), ttl_s=settings.office_cache_s)

    def purge_trust_data() -> None:
        retention.purge_trust_data(Store(mongo.db), settings, utc_clock())

    def close_yesterday() -> None:
        """Close the day before today in every office zone (idempotent; a crash resumes next run)."""
        store = Store(mongo.db)
        DailyClose(store, directory, utc_clock, settle=DaySettlement(store, directory).settle).close_yesterday()

    def span_changed(employee: dict, before: dict | None) -> None:
        DaySettlement(Store(mongo.db), directory).span_changed(employee, before, utc_clock().date(), RESETTLE_DAYS)

    def leave_changed(request_id: str) -> None:
        store = Store(mongo.db)
        leave_days.follow(store, directory, request_id, AnnualLeave(store, directory, settings.leave_balance_rules))

    run_worker(settings, mongo, outbox_collections=OUTBOX_COLLECTIONS, binding=BINDING,
               handler=revocations.consuming(lambda: mongo.db, make_handler(lambda: Store(mongo.db), span_changed,
                                                                            leave_changed)),
               periodic=[(3600.0, purge_idempotency_keys), (600.0, close_yesterday), (3600.0, purge_trust_data),
                         (600.0, lambda: revocations.purge(mongo.db))])


if __name__ == "__main__":
    main()
