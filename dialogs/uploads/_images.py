"""Photos: the size read from the header before anything is decoded, then a bounded decode."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from dialogs.texts import t
from dialogs.uploads._containers import (
    jpeg_end,
    png_end,
    trailing_is_padding,
    zip_inside,
)
from dialogs.uploads._errors import UploadError
from dialogs.uploads._limits import MAX_PIXELS, MIN_SIDE

__all__ = ["check_image"]

_DECODE_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError,
                  Image.DecompressionBombWarning, Image.DecompressionBombError)


def check_image(data: bytes, mime_type: str) -> bytes:
    """The image's bytes as they will be kept (a JPEG's extra pictures after the first are
    dropped), or UploadError: broken, too small, too many pixels, or something else riding
    along (a ZIP or any data after the picture)."""
    data = _alone(data, mime_type)
    try:
        with warnings.catch_warnings():
            # A decompression-bomb warning is a refusal here, not noise.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                # Image.open reads the header only: the pixels are counted before decoding.
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise UploadError(t("files.too_many_pixels"))
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                if mime_type == "image/jpeg":
                    # Decoded at 1/8 scale: every block is still read, in 1/64 of the memory.
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except UploadError:
        raise
    except _DECODE_ERRORS as exc:
        raise UploadError(t("files.corrupt_image")) from exc
    if width < MIN_SIDE or height < MIN_SIDE:
        raise UploadError(t("files.too_small_image"))
    return data


def _alone(data: bytes, mime_type: str) -> bytes:
    """The picture without anything after it; refused if what follows is not a picture."""
    if mime_type == "image/jpeg":
        end = jpeg_end(data)
        # Phones append the other pictures of a shot (MPF: depth maps, previews) after the
        # first one's end: those are dropped; anything else after it is refused.
        if end is not None and data[end:end + 3] == b"\xff\xd8\xff":
            data = data[:end]
    else:
        end = png_end(data)
    if end is None:
        raise UploadError(t("files.corrupt_image"))
    if not trailing_is_padding(data, end) or zip_inside(data[:end]):
        raise UploadError(t("files.hidden_content"))
    return data[:end]
