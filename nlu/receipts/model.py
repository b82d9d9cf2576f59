"""What a receipt reader found on a document: each field with how sure the reader is of it.

The reader (`nlu.receipts.read_receipt`) fills a `Receipt`; the conversation decides from each
field's confidence whether to say it back for a confirmation or to ask for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

__all__ = ["Found", "Receipt", "ServiceLine"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """One value read from the document, with the reader's confidence in it (0 to 1)."""

    value: T
    confidence: float


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One line of the services invoiced ("Visita oculistica  € 85,00")."""

    description: str
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """Everything read from one receipt or invoice; a field not found is None."""

    date: Found[dt.date] | None = None
    total: Found[Decimal] | None = None
    number: Found[str] | None = None
    issuer: Found[str] | None = None
    # Partita IVA of the issuer and codice fiscale of the patient, check digits verified.
    vat_number: Found[str] | None = None
    patient_tax_code: Found[str] | None = None
    lines: tuple[ServiceLine, ...] = ()
    # How the text was obtained: "text" (a PDF's own text layer) or "ocr".
    source: str = ""
    pages: int = 0

    @property
    def anything(self) -> bool:
        """Whether the reader found at least one of date, total and number."""
        return any(f is not None for f in (self.date, self.total, self.number))
