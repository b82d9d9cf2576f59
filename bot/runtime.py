"""What a running medbot holds: settings, store, catalogue, engine, clock, conversations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.conversation import Conversations
from bot.metrics import Metrics
from bot.receipts import ReceiptReader, ReceiptReading, default_reader
from bot.services import PortalServices
from bot.sms import SmsSender, sms_sender
from bot.speech import Transcriber, open_listener
from dialogs.engine import Engine
from dialogs.estimate import ServiceLevels
from dialogs.flows import DIRECT, DOCUMENTS, REIMBURSEMENT
from nlu.catalogue import load_catalogue, load_catalogue_in_background
from portal.store import Store


@dataclass(slots=True)
class Clock:
    """Now in UTC for records, today in the insurer's time zone for what customers mean."""

    timezone: ZoneInfo
    fixed_today: date | None = None
    # Moves the clock forward, for trying out what happens later (codes expiring).
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return self.fixed_today or (datetime.now(self.timezone) + self.offset).date()


@dataclass(slots=True)
class Runtime:
    settings: Settings
    store: Store
    clock: Clock
    conversations: Conversations
    receipts: ReceiptReading
    metrics: Metrics = field(default_factory=Metrics)

    @classmethod
    async def open(cls, settings: Settings, sms: SmsSender | None = None,
                   transcriber: Transcriber | None = None,
                   reader: ReceiptReader | None = None, *,
                   catalogue_now: bool = True) -> Runtime:
        """Everything a channel needs; `sms` replaces the provider the settings choose,
        `transcriber` the speech model (none installed: voice notes are declined kindly),
        `reader` the receipt reader (nlu.receipts.read_receipt).

        The catalogue is loaded in the background from now on (`catalogue_now`), or from
        `warm_up()` for a program that answers first (the console's greeting); a turn that
        searches it before the load is done waits for that load."""
        settings.home.mkdir(parents=True, exist_ok=True)
        key, old_keys = settings.document_keys()
        store = await Store.open(settings.resolved_database_url, settings.home, key, old_keys,
                                 settings.document_storage)
        await store.migrate()
        # Temporary files a writer that died left behind (the store writes atomically).
        store.documents.clean_temporary()
        clock = Clock(ZoneInfo(settings.timezone), settings.today)
        engine = Engine([REIMBURSEMENT, DIRECT, DOCUMENTS],
                        support_contact=settings.support_contact,
                        service_levels=ServiceLevels(**settings.service_levels))
        receipts = ReceiptReading(reader or default_reader(), settings.receipt_read_seconds)
        services = PortalServices(load_catalogue, store, sms or sms_sender(settings), clock.now,
                                  receipts)
        if catalogue_now:
            load_catalogue_in_background()
        metrics = Metrics()
        conversations = Conversations(store, engine, services, clock.now, clock.today,
                                      listener=open_listener(settings, transcriber),
                                      metrics=metrics,
                                      log_key=store.documents.keyring.current)
        return cls(settings, store, clock, conversations, receipts, metrics)

    def warm_up(self) -> None:
        """Loads what later turns need (the catalogue) in the background, once."""
        load_catalogue_in_background()

    async def close(self) -> None:
        self.receipts.close()
        await self.store.close()
