"""The insurer's records and the store that keeps them."""

from portal.documents import DocumentStore
from portal.store import (
    ConversationRecord,
    NotFound,
    StaleConversation,
    Store,
    TurnResult,
    format_request_number,
)

__all__ = [
    "ConversationRecord",
    "DocumentStore",
    "NotFound",
    "StaleConversation",
    "Store",
    "TurnResult",
    "format_request_number",
]
