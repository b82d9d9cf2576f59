"""Meta's webhook signature: X-Hub-Signature-256 is sha256=HMAC-SHA256(app secret, body)."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["HEADER", "sign", "signed_by"]

HEADER = "X-Hub-Signature-256"


def sign(secret: str, body: bytes) -> str:
    """The header value Meta sends with `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed_by(secret: str, body: bytes, header: str | None) -> bool:
    """True only for the exact signature of this body with this secret."""
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), header.strip().lower().encode())
