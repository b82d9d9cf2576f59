"""Content-addressed documents, encrypted (AES-256-GCM): stored once, under the SHA-256 of
their content, readable only with the key that wrote them; kept on disk (the default) or in
the database (every replica reads them), behind one interface (`Blobs`)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from portal.models import StoredFile

__all__ = [
    "DEV_KEY_FILE",
    "Blobs",
    "DocumentKeyError",
    "DocumentStore",
    "FileBlobs",
    "Keyring",
    "new_key",
    "private_dir",
]

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")
# An encrypted file: MAGIC, the key id (8 bytes), the nonce (12 bytes), ciphertext and tag.
MAGIC = b"MEDBOT-DOC1\n"
_KEY_ID = 8
_NONCE = 12
# The development key `make chat` creates next to the data (production: MEDBOT_DOCUMENT_KEY).
DEV_KEY_FILE = "document.key"
# A temporary file older than this was left by a writer that died: removed.
STALE_TMP_AFTER = 3600.0


class DocumentKeyError(Exception):
    """A document can't be decrypted: its key is not configured, or the file was altered."""


def new_key() -> str:
    """A fresh 256-bit key, base64 (what MEDBOT_DOCUMENT_KEY holds)."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def private_dir(path: Path) -> Path:
    """`path` (and missing parents) created for the owner only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def _decode(key: str) -> bytes:
    try:
        raw = base64.b64decode(key.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ValueError("a document key is 32 bytes in base64 (see `medbot documents new-key`)")
    return raw


def _key_id(raw: bytes) -> bytes:
    """Derived from the key, so configuring a key is enough to name it."""
    return hashlib.sha256(b"medbot document key id\x00" + raw).digest()[:_KEY_ID]


@dataclass(frozen=True, slots=True)
class Keyring:
    """The key new documents are written with, and every key old ones may need."""

    current: bytes
    keys: dict[bytes, bytes]

    @classmethod
    def of(cls, current: str, old: Iterable[str] = ()) -> Keyring:
        raw = _decode(current)
        keys = {_key_id(k): k for k in (_decode(o) for o in old if o.strip())}
        keys[_key_id(raw)] = raw
        return cls(raw, keys)

    @classmethod
    def load(cls, home: Path, key: str | None = None, old: Iterable[str] = ()) -> Keyring:
        """The configured key, else the development key in `home` (created if missing)."""
        if key:
            return cls.of(key, old)
        return cls.of(dev_key(home), old)

    @property
    def current_id(self) -> str:
        return _key_id(self.current).hex()


def dev_key(home: Path) -> str:
    """The development key file in `home`, created (0600) on first use."""
    path = Path(home) / DEV_KEY_FILE
    if not path.exists():
        private_dir(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first
        else:
            with os.fdopen(fd, "w") as out:
                out.write(new_key() + "\n")
            log.warning("documents: created a development key in %s; in production set "
                        "MEDBOT_DOCUMENT_KEY", path.name)
    return path.read_text().strip()


class Blobs(Protocol):
    """Where sealed documents are kept, by the SHA-256 of their content."""

    def get(self, sha256: str) -> bytes:
        """The sealed bytes; FileNotFoundError if there are none."""
        ...

    def add(self, sha256: str, sealed: bytes) -> None:
        """Kept unless already there (the same name is the same content)."""
        ...

    def replace(self, sha256: str, sealed: bytes) -> None:
        """Sealed anew (a key rotation): the old bytes give way."""
        ...

    def has(self, sha256: str) -> bool: ...

    def names(self) -> Iterator[str]:
        """Every document kept, by name."""
        ...

    def clean_temporary(self, older_than: float) -> int:
        """Leftovers of writers that died, removed; how many."""
        ...


class FileBlobs:
    """Files under `root/ab/abcdef...` (the first two hex digits fan out the directories).
    Writing is atomic (temporary file, fsync, rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a lowercase hex SHA-256")
        return self.root / sha256[:2] / sha256

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def add(self, sha256: str, sealed: bytes) -> None:
        target = self.path(sha256)
        if not target.exists():
            self._write(target, sealed)

    def replace(self, sha256: str, sealed: bytes) -> None:
        self._write(self.path(sha256), sealed)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def names(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir():
                yield from sorted(p.name for p in folder.iterdir()
                                  if p.is_file() and _SHA256.fullmatch(p.name))

    def clean_temporary(self, older_than: float = STALE_TMP_AFTER) -> int:
        removed = 0
        if not self.root.is_dir():
            return 0
        limit = time.time() - older_than
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for leftover in folder.glob(".tmp-*"):
                try:
                    if leftover.stat().st_mtime < limit:
                        leftover.unlink()
                        removed += 1
                except FileNotFoundError:
                    pass  # its writer finished or another cleaner was first
        return removed

    def _write(self, target: Path, sealed: bytes) -> None:
        folder = target.parent
        new_folder = not folder.is_dir()
        private_dir(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")  # 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(sealed)
                out.flush()
                os.fsync(out.fileno())
            # Another writer may have renamed the same content first: same document, no harm.
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        # The file's name is on disk only once its folder is (and a new folder's, in the
        # root): without this a power cut could lose a document its request already names.
        _sync_folder(folder)
        if new_folder:
            _sync_folder(self.root)


def _sync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DocumentStore:
    """Documents sealed with AES-GCM under the keyring's current key, kept in `blobs` (files
    under a folder when given a path).

    Writing is idempotent: the same bytes always land under the same name. Each document's
    key id travels with it, so old keys keep reading old documents and `rekey` moves them to
    the current one. Documents from before encryption are still read as they are. Only
    metadata (`StoredFile`) travels in the records; no checks on the content here.
    """

    def __init__(self, blobs: Blobs | Path, keyring: Keyring) -> None:
        self.blobs: Blobs = FileBlobs(blobs) if isinstance(blobs, Path) else blobs
        self.keyring = keyring

    @property
    def root(self) -> Path:
        assert isinstance(self.blobs, FileBlobs), "documents are not kept in a folder"
        return self.blobs.root

    def path(self, sha256: str) -> Path:
        """Where a document's file is (documents kept in a folder)."""
        assert isinstance(self.blobs, FileBlobs), "documents are not kept in a folder"
        return self.blobs.path(sha256)

    def put(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.blobs.has(sha256):
            self.blobs.add(sha256, self._seal(sha256, data))
        return StoredFile(sha256=sha256, mime_type=mime_type, size=len(data), filename=filename)

    def read(self, sha256: str) -> bytes:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a lowercase hex SHA-256")
        return self._open(sha256, self.blobs.get(sha256))

    def exists(self, sha256: str) -> bool:
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a lowercase hex SHA-256")
        return self.blobs.has(sha256)

    def key_id(self, sha256: str) -> str | None:
        """The id of the key a stored document is sealed with (None: not encrypted)."""
        head = self.blobs.get(sha256)[:len(MAGIC) + _KEY_ID]
        return head[len(MAGIC):].hex() if head.startswith(MAGIC) else None

    def rekey(self) -> tuple[int, int]:
        """Every document sealed anew with the current key (plaintext ones too): how many
        were rewritten and how many were already current. Stale temporary files go."""
        current = self.keyring.current_id
        moved = kept = 0
        for sha256 in list(self.blobs.names()):
            if self.key_id(sha256) == current:
                kept += 1
                continue
            data = self.read(sha256)
            if hashlib.sha256(data).hexdigest() != sha256:
                raise DocumentKeyError(f"document {sha256[:12]}… does not match its name")
            self.blobs.replace(sha256, self._seal(sha256, data))
            moved += 1
        return moved, kept

    def clean_temporary(self, older_than: float = STALE_TMP_AFTER) -> int:
        """Removes what writers that died left behind (temporary files); how many."""
        return self.blobs.clean_temporary(older_than)

    def _seal(self, sha256: str, data: bytes) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # with the first document

        nonce = secrets.token_bytes(_NONCE)
        # The address is authenticated too: a file moved under another name won't open.
        sealed = AESGCM(self.keyring.current).encrypt(nonce, data, sha256.encode())
        return MAGIC + _key_id(self.keyring.current) + nonce + sealed

    def _open(self, sha256: str, stored: bytes) -> bytes:
        if not stored.startswith(MAGIC):
            return stored  # written before documents were encrypted
        head = len(MAGIC)
        key_id = stored[head:head + _KEY_ID]
        nonce = stored[head + _KEY_ID:head + _KEY_ID + _NONCE]
        key = self.keyring.keys.get(key_id)
        if key is None:
            raise DocumentKeyError(f"document key {key_id.hex()} is not configured")
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            return AESGCM(key).decrypt(nonce, stored[head + _KEY_ID + _NONCE:], sha256.encode())
        except InvalidTag as exc:
            raise DocumentKeyError("document altered or sealed with another key") from exc
