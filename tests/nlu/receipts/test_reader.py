"""read_receipt on files: text-layer PDFs read without OCR, bad input gives an empty Receipt."""

from __future__ import annotations

import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from PIL import Image

from nlu.receipts import Receipt, read_receipt
from nlu.receipts.reader import MAX_BYTES
from tests.nlu.receipts.conftest import DEV, truths

TEXT_PDFS = [t for t in truths() if t["file"].endswith("-pdf.pdf")]


def test_the_development_set_has_text_pdfs_of_every_kind() -> None:
    assert {t["file"].split("-")[1] for t in TEXT_PDFS} == {"studio", "centre", "pharmacy"}
    assert any(t["pages"] == 2 for t in TEXT_PDFS)


@pytest.mark.parametrize("truth", TEXT_PDFS, ids=[t["file"] for t in TEXT_PDFS])
def test_text_pdf(truth: dict) -> None:
    receipt = read_receipt(DEV / truth["file"])
    assert receipt.source == "text"  # the text layer, no OCR
    assert receipt.pages == truth["pages"]
    assert receipt.date.value == dt.date.fromisoformat(truth["date"])
    assert receipt.total.value == Decimal(truth["amount"])
    assert receipt.number.value == truth["number"]
    assert receipt.vat_number.value == truth["vat_number"]
    assert receipt.patient_tax_code.value == truth["patient_tax_code"]
    assert receipt.issuer.value.rstrip(".") == truth["issuer"].rstrip(".")


def test_bytes_and_path_alike() -> None:
    path = DEV / TEXT_PDFS[0]["file"]
    assert read_receipt(path.read_bytes()) == read_receipt(path) == read_receipt(str(path))


def test_threads_read_alike() -> None:
    paths = [DEV / t["file"] for t in TEXT_PDFS[:6]]
    alone = [read_receipt(path) for path in paths]
    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(read_receipt, paths)) == alone


def _truncated_pdf() -> bytes:
    data = (DEV / TEXT_PDFS[0]["file"]).read_bytes()
    return data[: len(data) // 2]


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(out, "PNG")  # 81 Mpixel, a few KB
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00" * 1000,
        b"%PDF-1.7\nnot really a pdf",
        b"\xff\xd8\xff\xe0 broken jpeg",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "ciao 😀".encode(),
        b"%PDF-" + b"A" * (MAX_BYTES + 10),
    ],
    ids=["empty", "zeros", "bad-pdf", "bad-jpeg", "bad-png", "text", "huge"],
)
def test_bad_bytes_give_an_empty_receipt(data: bytes) -> None:
    assert read_receipt(data) == Receipt()


def test_truncated_pdf_and_decompression_bomb() -> None:
    assert not read_receipt(_truncated_pdf()).anything
    assert read_receipt(_bomb(), media_type="image/png") == Receipt()


def test_missing_file_and_folder(tmp_path) -> None:
    assert read_receipt(tmp_path / "nowhere.pdf") == Receipt()
    assert read_receipt(tmp_path) == Receipt()


def test_wrong_type_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        read_receipt(42)  # type: ignore[arg-type]
