"""Receipts and invoices read from photos and PDFs (date, total, number, issuer, codes, lines)."""

from nlu.receipts.model import Found, Receipt, ServiceLine

__all__ = ["Found", "Receipt", "ServiceLine"]
