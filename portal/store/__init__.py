"""The store: the portal's records in one SQL database (SQLite or PostgreSQL), async.

One module per kind of record, all over one engine and one transaction helper
(`portal.store.database`); `Store` puts them together so callers hold one object.
"""

from portal.store.claims import Claims
from portal.store.codes import Codes
from portal.store.conversations import ConversationRecord, Conversations, TurnResult
from portal.store.database import NotFound, StaleConversation, new_id
from portal.store.facilities import Facilities
from portal.store.handoffs import Handoffs
from portal.store.inboxes import AlreadyHandled, Inboxes
from portal.store.links import Links
from portal.store.locks import ConversationLocks
from portal.store.notifications import Notifications
from portal.store.operators import Operator, OperatorExists, Operators
from portal.store.people import People
from portal.store.rasa_messages import RasaMessages
from portal.store.requests import Requests, format_request_number
from portal.store.revisions import MIGRATIONS, Revisions

__all__ = [
    "MIGRATIONS",
    "AlreadyHandled",
    "ConversationRecord",
    "NotFound",
    "Operator",
    "OperatorExists",
    "StaleConversation",
    "Store",
    "TurnResult",
    "format_request_number",
    "new_id",
]


class Store(
    ConversationLocks,
    Conversations,
    People,
    Requests,
    Claims,
    Handoffs,
    Facilities,
    Codes,
    Links,
    Inboxes,
    RasaMessages,
    Notifications,
    Operators,
    Revisions,
):
    """Every kind of record of the portal over one engine: `await Store.open(url, home)`."""
