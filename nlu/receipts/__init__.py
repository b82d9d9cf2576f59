"""Receipts and invoices read from photos and PDFs (date, total, number, issuer, codes, lines).

`read_receipt(bytes or path)` returns a `Receipt`; `warm_up()` loads the OCR models ahead.
"""

from nlu.receipts.model import Found, Receipt, ServiceLine
from nlu.receipts.reader import read_receipt


def warm_up() -> None:
    """Load the OCR engine now, so the first photo is read as fast as the next."""
    from nlu.receipts.ocr import warm_up as load

    load()


__all__ = ["Found", "Receipt", "ServiceLine", "read_receipt", "warm_up"]
