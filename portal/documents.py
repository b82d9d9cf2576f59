"""Content-addressed files on disk: a document is stored once, under its SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from portal.models import StoredFile

__all__ = ["DocumentStore"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


class DocumentStore:
    """Files under `root/ab/abcdef...` (the first two hex digits fan out the directories).

    Writing is atomic (temporary file, fsync, rename) and idempotent: the same bytes always
    land on the same path. Only metadata (`StoredFile`) travels in the database; no checks on
    the content here, the dialogs validate what they accept.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a lowercase hex SHA-256")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                # Another writer may have renamed the same content first: same bytes, no harm.
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return StoredFile(sha256=sha256, mime_type=mime_type, size=len(data), filename=filename)

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()
