"""OCR on photos and scanned PDFs (RapidOCR, loaded once for the session), and how text boxes
become rows whatever the slant."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from PIL import Image

from nlu.receipts import Receipt, read_receipt
from nlu.receipts.ocr import _Box, _rows
from tests.nlu.receipts.conftest import DEV, truths

BY_FILE = {t["file"]: t for t in truths()}


def _check(name: str) -> None:
    truth = BY_FILE[name]
    receipt = read_receipt(DEV / name)
    assert receipt.source == "ocr"
    assert (receipt.date.value, receipt.total.value, receipt.number.value) == (
        dt.date.fromisoformat(truth["date"]), Decimal(truth["amount"]), truth["number"])


def test_photo_turned_by_its_exif_tag(ocr_engine: None) -> None:
    _check("046-studio-photo.jpg")  # pixels upside down, orientation tag 3


def test_thermal_receipt_photographed_sideways(ocr_engine: None) -> None:
    _check("004-pharmacy-photo.jpg")  # no orientation tag: the text runs up the picture


def test_two_page_scanned_pdf(ocr_engine: None) -> None:
    _check("018-centre-scan.pdf")


def test_blank_photo_reads_nothing(ocr_engine: None) -> None:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (250, 250, 250)).save(out, "JPEG")
    assert read_receipt(out.getvalue()) == Receipt(source="ocr", pages=1)


def _box(text: str, x: float, y: float, width: float, slope: float = 0.0) -> _Box:
    return _Box(text, 0.99, x + width / 2, y + slope * width / 2, x, x + width, 20.0, slope,
                width)


def test_rows_follow_the_slant() -> None:
    slope = 0.12  # a photo turned ~7 degrees: the amount sits a row lower than its label
    boxes = []
    for row, (label, amount) in enumerate([("Visita oculistica", "€ 85,00"),
                                           ("Marca da bollo", "€ 2,00"),
                                           ("Totale documento", "€ 87,00")]):
        y = 100 + row * 30
        boxes.append(_box(label, 50, y, 200, slope))
        boxes.append(_box(amount, 700, y + slope * 650, 80, slope))
    assert [text for text, _ in _rows(boxes)] == [
        "Visita oculistica  € 85,00", "Marca da bollo  € 2,00", "Totale documento  € 87,00"]
