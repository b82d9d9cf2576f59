"""The one error a refused file raises."""

from __future__ import annotations

__all__ = ["UploadError"]


class UploadError(ValueError):
    """The file can't be taken; the message says why, in Italian."""
