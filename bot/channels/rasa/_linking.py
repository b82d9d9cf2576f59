"""Which customer a Rasa sender speaks for: the assistant says so after its own authentication."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from nlu.identifiers import IdentifierError, parse_fiscal_code
from portal.store import Store

__all__ = ["CHANNEL", "CUSTOMER_KEY", "customer_for"]

log = logging.getLogger(__name__)
CHANNEL = "rasa"
# The slot, or the key of the message metadata, holding the authenticated codice fiscale.
CUSTOMER_KEY = "medbot_customer"


def claimed_fiscal_code(slots: dict[str, Any], metadata: dict[str, Any]) -> str | None:
    """The codice fiscale the assistant vouches for, from the message metadata or the slot."""
    for value in (metadata.get(CUSTOMER_KEY), slots.get(CUSTOMER_KEY)):
        if isinstance(value, str) and value.strip():
            return value
    return None


async def customer_for(store: Store, sender_id: str, slots: dict[str, Any],
                       metadata: dict[str, Any], now: datetime) -> int | None:
    """The linked customer's id; a codice fiscale from the assistant (re)links the sender.
    None when the sender is not linked, or the claimed code is no customer's."""
    claimed = claimed_fiscal_code(slots, metadata)
    if claimed is None:
        return await store.linked_customer(CHANNEL, sender_id)
    try:
        customer = await store.customer_by_fiscal_code(parse_fiscal_code(claimed))
    except IdentifierError:
        customer = None
    if customer is None:
        log.info("rasa sender claimed a codice fiscale that is no customer's")
        return None
    linked = await store.linked_customer(CHANNEL, sender_id)
    if linked == customer.id:
        return linked
    await store.link_user(CHANNEL, sender_id, customer.id, now)
    record = await store.load_conversation(CHANNEL, sender_id)
    if record is not None and record.customer_id not in (None, customer.id):
        # A conversation begun for another customer must not continue for this one.
        await store.forget_conversation(CHANNEL, sender_id)
    log.info("rasa sender linked to a customer by the assistant")
    return customer.id
