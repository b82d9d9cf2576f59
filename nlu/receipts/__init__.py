"""Receipts and invoices read from photos and PDFs (date, total, number, issuer, codes, lines).

`read_receipt(bytes or path)` returns a `Receipt`; `warm_up()` loads the OCR models ahead.
The reader (Pillow, pypdf, OCR) is imported on first use: a process that never reads a
receipt (`medbot chat` answering its first message) does not pay for it.
"""

from __future__ import annotations

import os

from nlu.receipts.model import Found, Receipt, ServiceLine


def read_receipt(source: bytes | str | os.PathLike[str], *, media_type: str | None = None
                 ) -> Receipt:
    """What the receipt in `source` says: see nlu.receipts.reader.read_receipt."""
    from nlu.receipts.reader import read_receipt as read

    return read(source, media_type=media_type)


def warm_up() -> None:
    """Load the OCR engine now, so the first photo is read as fast as the next."""
    from nlu.receipts.ocr import warm_up as load

    load()


__all__ = ["Found", "Receipt", "ServiceLine", "read_receipt", "warm_up"]
