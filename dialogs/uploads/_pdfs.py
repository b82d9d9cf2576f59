"""PDFs: a document and nothing else: no scripts, actions that launch or send, attachments,
data before or after it, and a bounded number of pages and pixels."""

from __future__ import annotations

import io
import warnings
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from dialogs.texts import t
from dialogs.uploads._containers import pdf_end, trailing_is_padding, zip_inside
from dialogs.uploads._errors import UploadError
from dialogs.uploads._limits import MAX_PAGES, MAX_PDF_OBJECTS, MAX_PIXELS

__all__ = ["check_pdf"]

_BROKEN = (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError,
           RecursionError, IndexError)
# Keys whose mere presence means code, attachments or scripted forms.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA",
                "/RichMediaContent"}
# Actions that run code, open or fetch other files, or send data away (links and moves
# inside the document, /URI and /GoTo, stay).
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
                   "/Rendition", "/RichMediaExecute", "/Sound", "/Movie"}
_ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}


def check_pdf(data: bytes) -> None:
    """UploadError unless `data` is one readable, unencrypted, passive PDF of 1-50 pages."""
    if not data.startswith(b"%PDF-"):
        raise UploadError(t("files.hidden_content"))  # something else comes first
    end = pdf_end(data)
    if end is None:
        raise UploadError(t("files.corrupt_pdf"))
    if not trailing_is_padding(data, end) or zip_inside(data):
        raise UploadError(t("files.hidden_content"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf's notes on odd but readable files
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadError(t("files.encrypted_pdf"))
            declared = reader.root_object["/Pages"].get("/Count", 0)
            if isinstance(declared, int) and declared > MAX_PAGES:
                raise UploadError(t("files.too_many_pages", limit=MAX_PAGES))
            pages = len(reader.pages)
            _passive(reader)
    except UploadError:
        raise
    except _BROKEN as exc:
        raise UploadError(t("files.corrupt_pdf")) from exc
    if pages == 0:
        raise UploadError(t("files.corrupt_pdf"))
    if pages > MAX_PAGES:
        raise UploadError(t("files.too_many_pages", limit=MAX_PAGES))


def _passive(reader: PdfReader) -> None:
    """Walks every object reachable from the trailer (catalog, pages, annotations, names,
    forms, object streams included) and refuses active content and oversized images."""
    stack: list[Any] = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise UploadError(t("files.corrupt_pdf"))
        if isinstance(item, DictionaryObject):
            _judge(item)
            stack.extend(dict.values(item))  # unresolved: references are followed above
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _judge(node: DictionaryObject) -> None:
    keys = set(dict.keys(node))
    action = dict.get(node, "/S")
    subtype = dict.get(node, "/Subtype")
    if keys & _ACTIVE_KEYS or action in _ACTIVE_ACTIONS or subtype in _ACTIVE_SUBTYPES \
            or dict.get(node, "/Type") == "/EmbeddedFile":
        raise UploadError(t("files.active_pdf"))
    if subtype == "/Image":
        width, height = dict.get(node, "/Width"), dict.get(node, "/Height")
        if isinstance(width, int) and isinstance(height, int) and width * height > MAX_PIXELS:
            raise UploadError(t("files.too_many_pixels"))
