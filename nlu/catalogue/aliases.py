"""What customers call specific services: lay and prescription names, keyed by kind and code."""

from __future__ import annotations

from nlu.catalogue.models import AMBULATORIALE, RICOVERO

__all__ = ["ALIASES"]

_OUTPATIENT: dict[str, tuple[str, ...]] = {}
_INPATIENT: dict[str, tuple[str, ...]] = {}

ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    **{(AMBULATORIALE, code): names for code, names in _OUTPATIENT.items()},
    **{(RICOVERO, code): names for code, names in _INPATIENT.items()},
}
