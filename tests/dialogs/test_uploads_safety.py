"""Files that carry more than a document are refused, before anything heavy is done."""

from __future__ import annotations

import io
import zipfile

import pytest

from dialogs.events import IncomingFile
from dialogs.uploads import MAX_PAGES, UploadError, check_upload, precheck_upload, safe_filename
from tests.auxil import files


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


@pytest.mark.parametrize("make", [files.pdf_with_javascript, files.pdf_with_attachment,
                                  files.pdf_with_launch, files.pdf_with_hidden_javascript])
def test_pdfs_with_active_content_are_refused(make) -> None:
    with pytest.raises(UploadError, match="parti attive"):
        check_upload(IncomingFile(make(), "fattura.pdf"))


def test_a_pdf_with_links_and_an_initial_view_is_taken() -> None:
    assert check_upload(IncomingFile(files.pdf_with_link(), "f.pdf")).mime_type == \
        "application/pdf"


@pytest.mark.parametrize("data", [
    b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode\n" + files.pdf(),
    b"<html><body><script>alert(1)</script></body></html>\n" + files.pdf(),
    files.pdf() + _zip(),
    files.pdf() + b"<html><script>alert(1)</script></html>",
    files.jpeg() + _zip(),
    files.jpeg() + b"<html><script>alert(1)</script></html>",
    files.png() + _zip(),
    files.png() + b"trailing words",
])
def test_polyglots_are_refused(data: bytes) -> None:
    with pytest.raises(UploadError, match="altri dati"):
        check_upload(IncomingFile(data, "fattura.pdf"))


def test_padding_after_the_end_is_harmless() -> None:
    assert check_upload(IncomingFile(files.pdf() + b"\r\n\x00\x00", "f.pdf"))
    checked = check_upload(IncomingFile(files.jpeg() + b"\x00" * 10, "f.jpg"))
    assert checked.mime_type == "image/jpeg"


def test_a_phone_photo_with_extra_pictures_keeps_the_first_one_only() -> None:
    first, second = files.jpeg("uno"), files.jpeg("due", size=(80, 60))
    checked = check_upload(IncomingFile(first + second, "foto.jpg"))
    assert checked.data == first


def test_page_budget() -> None:
    assert check_upload(IncomingFile(files.pdf(pages=MAX_PAGES), "f.pdf"))
    with pytest.raises(UploadError, match=f"al massimo {MAX_PAGES}"):
        check_upload(IncomingFile(files.pdf(pages=MAX_PAGES + 1), "f.pdf"))


def test_pixel_budget_is_judged_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import ImageFile

    def no_decoding(*_args, **_kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    with pytest.raises(UploadError, match="40 milioni di pixel"):
        check_upload(IncomingFile(files.huge_png(), "mappa.png"))


@pytest.mark.parametrize(("declared", "expected"), [
    ("fattura\r\nSet-Cookie: x.pdf", "fattura Set-Cookie x.pdf"),
    ("ricevuta\x00.exe.pdf", "ricevuta.exe.pdf"),
    ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ("fattura\u202efdp.exe", "fatturafdp.pdf"),
    ("...", "documento.pdf"),
    ("\x00\r\n", "documento.pdf"),
    ("Référto di Luca.PDF", "Référto di Luca.pdf"),
])
def test_file_names_are_sanitised(declared: str, expected: str) -> None:
    assert check_upload(IncomingFile(files.pdf(), declared)).filename == expected
    assert "\x00" not in safe_filename(declared) and "\n" not in safe_filename(declared)


async def test_precheck_runs_in_a_thread_and_the_turn_reuses_its_verdict(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from dialogs import uploads

    threads: list[str] = []
    real = uploads.check_pdf

    def spy(data: bytes) -> None:
        threads.append(threading.current_thread().name)
        real(data)

    monkeypatch.setattr(uploads, "check_pdf", spy)
    file = IncomingFile(files.pdf(), "f.pdf")
    await precheck_upload(file)
    assert threads and threads[0] != threading.main_thread().name
    assert check_upload(file).mime_type == "application/pdf"
    assert len(threads) == 1  # not checked again
    bad = IncomingFile(files.pdf_with_javascript(), "x.pdf")
    await precheck_upload(bad)
    with pytest.raises(UploadError, match="parti attive"):
        check_upload(bad)
