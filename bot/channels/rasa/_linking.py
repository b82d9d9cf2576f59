"""Which customer a Rasa sender speaks for: the assistant's slot, or metadata it signed.

Plain metadata is never believed: Rasa's REST and socket.io channels copy it from whatever the
end user sends. The slot `medbot_customer` is set by the assistant's own actions after its
authentication (Rasa's call carries the action server's token, so its tracker is trusted);
metadata counts only when signed with the secret shared with the assistant's channel.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nlu.identifiers import IdentifierError, parse_fiscal_code
from portal.store import Store

__all__ = ["CHANNEL", "CUSTOMER_KEY", "MAX_LIFETIME", "Identity", "identify", "sign_customer"]

log = logging.getLogger(__name__)
CHANNEL = "rasa"
# The slot, or the key of the message metadata, naming the authenticated customer.
CUSTOMER_KEY = "medbot_customer"
# A signature valid longer than this is refused: a leaked one must not serve for long.
MAX_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Identity:
    """customer_id when known; `vouched` says whether the assistant named anyone at all."""

    customer_id: int | None
    vouched: bool


def signed_message(sender_id: str, fiscal_code: str, expires: int) -> bytes:
    """What the HMAC covers: the three values, one per line, UTF-8."""
    return f"{sender_id}\n{fiscal_code}\n{expires}".encode()


def sign_customer(secret: str, sender_id: str, fiscal_code: str, expires: int) -> dict[str, Any]:
    """The metadata value an assistant's channel sends as `medbot_customer` (expires: Unix
    seconds)."""
    signature = hmac.new(secret.encode(), signed_message(sender_id, fiscal_code, expires),
                         hashlib.sha256).hexdigest()
    return {"fiscal_code": fiscal_code, "expires": expires, "signature": signature}


def vouched_fiscal_code(sender_id: str, slots: dict[str, Any], metadata: dict[str, Any],
                        secret: str | None, now: datetime) -> str | None:
    """The codice fiscale the assistant vouches for: the slot, else valid signed metadata."""
    slot = slots.get(CUSTOMER_KEY)
    if isinstance(slot, str) and slot.strip():
        return slot
    claim = metadata.get(CUSTOMER_KEY)
    if claim is None:
        return None
    if secret is None or not isinstance(claim, dict):
        log.warning("rasa metadata names a customer without a valid signature: ignored")
        return None
    fiscal_code, expires, signature = (claim.get("fiscal_code"), claim.get("expires"),
                                       claim.get("signature"))
    if not (isinstance(fiscal_code, str) and isinstance(expires, int)
            and not isinstance(expires, bool) and isinstance(signature, str)):
        log.warning("rasa signed customer malformed: ignored")
        return None
    expected = sign_customer(secret, sender_id, fiscal_code, expires)["signature"]
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        log.warning("rasa signed customer with a wrong signature: ignored")
        return None
    remaining = expires - now.timestamp()
    if remaining <= 0 or remaining > MAX_LIFETIME.total_seconds():
        log.info("rasa signed customer expired or valid too long: ignored")
        return None
    return fiscal_code


async def identify(store: Store, sender_id: str, slots: dict[str, Any],
                   metadata: dict[str, Any], secret: str | None, now: datetime) -> Identity:
    """The customer this call speaks for, from this call only (nothing is remembered per
    sender: Rasa's sender ids are chosen by the channel's client)."""
    vouched = vouched_fiscal_code(sender_id, slots, metadata, secret, now)
    if vouched is None:
        return Identity(None, vouched=False)
    try:
        customer = await store.customer_by_fiscal_code(parse_fiscal_code(vouched))
    except IdentifierError:
        customer = None
    if customer is None:
        log.info("rasa sender vouched for a codice fiscale that is no customer's")
        return Identity(None, vouched=True)
    record = await store.load_conversation(CHANNEL, sender_id)
    if record is not None and record.customer_id not in (None, customer.id):
        # A conversation begun for another customer must not continue for this one.
        await store.forget_conversation(CHANNEL, sender_id)
        log.info("rasa sender now speaks for another customer: conversation restarted")
    return Identity(customer.id, vouched=True)
