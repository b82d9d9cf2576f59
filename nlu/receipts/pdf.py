"""A PDF's pages: the text layer where there is one (no OCR needed), else the page's scan."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader

__all__ = ["PdfPage", "read_pdf"]

MAX_PAGES = 8
# Fewer letters than this on a page and it is a scan, whatever stray text it carries.
_MIN_LETTERS = 25

# pypdf reports a damaged file's oddities on its logger: nothing the customer can act on.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class PdfPage:
    """One page: its text lines, or (a scanned page) its largest embedded image."""

    lines: tuple[str, ...] = ()
    image: Image.Image | None = None


def read_pdf(data: bytes) -> tuple[list[PdfPage], int]:
    """The first MAX_PAGES pages and the page count. Raises on a PDF pypdf cannot open."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")  # a PDF locked with an empty password opens; any other raises
    count = len(reader.pages)
    pages = []
    for page in list(reader.pages)[:MAX_PAGES]:
        text = _text(page)
        if sum(c.isalpha() for c in text) >= _MIN_LETTERS:
            pages.append(PdfPage(lines=tuple(text.splitlines())))
        else:
            pages.append(PdfPage(image=_largest_image(page)))
    return pages, count


def _text(page) -> str:  # type: ignore[no-untyped-def]
    try:
        # Layout mode keeps a row's label and amount on one line, columns apart.
        return str(page.extract_text(extraction_mode="layout"))
    except Exception:  # noqa: BLE001 - a damaged page still has its plain text, maybe
        try:
            return str(page.extract_text())
        except Exception:  # noqa: BLE001
            return ""


def _largest_image(page) -> Image.Image | None:  # type: ignore[no-untyped-def]
    """A scanned page is one picture: the largest image on it, decoded."""
    best: Image.Image | None = None
    try:
        for picture in page.images:
            image = picture.image
            if image is not None and (best is None or image.width * image.height >
                                      best.width * best.height):
                best = image
    except Exception:  # noqa: BLE001 - an image pypdf cannot decode is no page to read
        return best
    return best
