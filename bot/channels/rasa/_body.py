"""The action call's body: size-capped, inflated (deflate, gzip) with the same cap, then JSON."""

from __future__ import annotations

import json
import zlib
from typing import Any

__all__ = ["MAX_BODY", "BadBody", "BodyTooLarge", "action_call"]

# Rasa sends the whole tracker (every event of the session, the bot's messages with their
# buttons and files) and the domain with each call: generous, but bounded before and after
# inflating, so a small compressed body cannot cost gigabytes.
MAX_BODY = 32 * 1024 * 1024
# zlib or gzip header, detected (Rasa's COMPRESS_ACTION_SERVER_REQUEST sends zlib "deflate").
_AUTO_HEADER = zlib.MAX_WBITS | 32


class BodyTooLarge(Exception):
    """The body, or what it inflates to, is over MAX_BODY."""


class BadBody(Exception):
    """Not a JSON object, or a compressed body that does not inflate."""


def action_call(body: bytes, content_encoding: str | None, limit: int = MAX_BODY) -> dict[str, Any]:
    """The JSON object of an action call; raises BodyTooLarge or BadBody."""
    if len(body) > limit:
        raise BodyTooLarge
    encoding = (content_encoding or "identity").strip().lower()
    if encoding in ("deflate", "gzip", "x-gzip"):
        body = _inflate(body, limit)
    elif encoding != "identity":
        raise BadBody(f"unsupported content encoding {encoding[:20]!r}")
    try:
        call = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadBody("not JSON") from exc
    if not isinstance(call, dict):
        raise BadBody("not a JSON object")
    return call


def _inflate(body: bytes, limit: int) -> bytes:
    """Inflates at most limit + 1 bytes: one byte more than allowed proves the body too big."""
    inflater = zlib.decompressobj(_AUTO_HEADER)
    try:
        out = inflater.decompress(body, limit + 1)
        if len(out) > limit:
            raise BodyTooLarge
        if not inflater.eof:
            raise BadBody("truncated compressed body")
    except zlib.error as exc:
        raise BadBody("corrupt compressed body") from exc
    return out
