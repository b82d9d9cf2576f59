"""A receipt reader for conversation tests: says what the test wants read, fails, or hangs."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from os import PathLike

from nlu.receipts import Found, Receipt, ServiceLine


def receipt(day: date | None = date(2026, 3, 12), total: str | None = "85.00",
            number: str | None = "118/2026", issuer: str | None = "Studio Oculistico Bianchi",
            vat: str | None = "01234560124", patient: str | None = None,
            lines: tuple[tuple[str, str | None], ...] = (), confidence: float = 0.95,
            low: tuple[str, ...] = ()) -> Receipt:
    """A receipt as a reader finds it; the fields named in `low` read with low confidence."""

    def found(name: str, value: object) -> Found | None:
        if value is None:
            return None
        return Found(value, 0.4 if name in low else confidence)

    return Receipt(
        date=found("date", day), total=found("total", Decimal(total) if total else None),
        number=found("number", number), issuer=found("issuer", issuer),
        vat_number=found("vat", vat), patient_tax_code=found("patient", patient),
        lines=tuple(ServiceLine(d, Decimal(a) if a else None) for d, a in lines),
        source="text", pages=1)


@dataclass
class ScriptedReader:
    """Reads whatever receipt it is told (`next`); `fail` raises, `hang` blocks until released
    (so the time limit is what ends the reading)."""

    next: Receipt = field(default_factory=Receipt)
    fail: bool = False
    hang: bool = False
    calls: list[str] = field(default_factory=list)
    _release: threading.Event = field(default_factory=threading.Event)

    def __call__(self, source: bytes | str | PathLike[str], *,
                 media_type: str | None = None) -> Receipt:
        self.calls.append(media_type or "")
        if self.fail:
            raise RuntimeError("the reader broke")
        if self.hang:
            self._release.wait(30)
        return self.next

    def release(self) -> None:
        self._release.set()
