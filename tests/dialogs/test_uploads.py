"""Files are judged by their content: type, size, readability."""

from __future__ import annotations

import pytest

from dialogs.events import IncomingFile
from dialogs.uploads import MAX_BYTES, UploadError, check_upload
from tests.auxil import files


def test_jpeg_png_pdf_are_taken_by_content_not_name() -> None:
    assert check_upload(IncomingFile(files.jpeg(), "scan.pdf")).mime_type == "image/jpeg"
    assert check_upload(IncomingFile(files.png(), "x")).mime_type == "image/png"
    checked = check_upload(IncomingFile(files.pdf(), "../../etc/fattura.PDF"))
    assert checked.mime_type == "application/pdf"
    assert checked.filename == "fattura.pdf"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "vuoto"),
        (b"hello, this is text", "JPEG o PNG"),
        (b"GIF89a" + b"\0" * 100, "JPEG o PNG"),
        (b"\xff\xd8\xff\xe0" + b"garbage" * 50, "danneggiata"),
        (b"%PDF-1.7\n garbage", "PDF"),
    ],
)
def test_refusals_say_why(data: bytes, words: str) -> None:
    with pytest.raises(UploadError, match=words):
        check_upload(IncomingFile(data, "documento.pdf"))


def test_too_big() -> None:
    data = files.pdf() + b"\0" * MAX_BYTES
    with pytest.raises(UploadError, match="il massimo è 10 MB"):
        check_upload(IncomingFile(data, "grande.pdf"))


def test_encrypted_pdf() -> None:
    with pytest.raises(UploadError, match="password"):
        check_upload(IncomingFile(files.encrypted_pdf(), "protetto.pdf"))


def test_tiny_image_is_unreadable() -> None:
    with pytest.raises(UploadError, match="troppo piccola"):
        check_upload(IncomingFile(files.png(size=(10, 10)), "icona.png"))
