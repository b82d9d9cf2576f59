"""The Rasa versions the action server is tested with, and a warning (once) for any other.

rasa-sdk's own check wants the same major.minor as Rasa's: Rasa 3.6 ships with rasa-sdk 3.6,
which supports Python 3.8-3.10 only, while medbot needs 3.11. medbot runs on rasa-sdk 3.21,
whose action-call protocol (tracker, domain, next_action in; events and responses out) is the
one Rasa 3.6 speaks: `make test-rasa` drives a real Rasa 3.6.21 against it.
"""

from __future__ import annotations

import logging

__all__ = ["SUPPORTED_RASA", "check_rasa_version"]

log = logging.getLogger(__name__)
# (major, minor) of the Rasa Open Source versions `make test-rasa` drives.
SUPPORTED_RASA = ((3, 6),)
_warned: set[str] = set()


def is_supported(version: object) -> bool:
    if not isinstance(version, str):
        return False
    parts = version.split(".")
    try:
        return (int(parts[0]), int(parts[1])) in SUPPORTED_RASA
    except (ValueError, IndexError):
        return False


def check_rasa_version(version: object) -> bool:
    """True for a tested version; otherwise a warning in the log, once per version."""
    if is_supported(version):
        return True
    shown = str(version)[:20]
    if shown not in _warned:
        _warned.add(shown)
        log.warning("rasa %s calls the action server; tested with Rasa %s", shown,
                    ", ".join(f"{a}.{b}" for a, b in SUPPORTED_RASA))
    return False
