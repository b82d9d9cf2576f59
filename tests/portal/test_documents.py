"""portal.documents: content-addressed, atomic, idempotent files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from portal.documents import MAGIC, DocumentKeyError, DocumentStore, Keyring, new_key

KEY = new_key()


def _store(root: Path, key: str = KEY, old: tuple[str, ...] = ()) -> DocumentStore:
    return DocumentStore(root, Keyring.of(key, old))


def test_put_read_path(tmp_path: Path) -> None:
    store = _store(tmp_path / "docs")
    data = b"%PDF-1.4 fattura"
    stored = store.put(data, "application/pdf", "fattura.pdf")
    digest = hashlib.sha256(data).hexdigest()
    assert (stored.sha256, stored.size, stored.mime_type, stored.filename) == (
        digest, len(data), "application/pdf", "fattura.pdf"
    )  # fmt: skip
    assert store.path(digest) == tmp_path / "docs" / digest[:2] / digest
    assert store.read(digest) == data
    assert store.exists(digest)


def test_put_is_idempotent_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = _store(tmp_path)
    first = store.put(b"same bytes", "image/png", "a.png")
    second = store.put(b"same bytes", "image/jpeg", "b.jpg")
    assert first.sha256 == second.sha256
    assert second.filename == "b.jpg"  # names travel with the record, not the file
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path(first.sha256)]


def test_empty_file(tmp_path: Path) -> None:
    store = _store(tmp_path)
    stored = store.put(b"", "application/octet-stream", "vuoto")
    assert store.read(stored.sha256) == b"" and stored.size == 0


def test_missing_and_malformed(tmp_path: Path) -> None:
    store = _store(tmp_path)
    missing = "0" * 64
    assert not store.exists(missing)
    with pytest.raises(FileNotFoundError):
        store.read(missing)
    for bad in ("../etc/passwd", "ABC", "A" * 64):
        with pytest.raises(ValueError):
            store.path(bad)


def test_documents_are_encrypted_at_rest_with_their_key_id(tmp_path: Path) -> None:
    store = _store(tmp_path)
    data = b"%PDF-1.4 Referto: diagnosi riservata di Mario Rossi"
    digest = store.put(data, "application/pdf", "referto.pdf").sha256
    on_disk = store.path(digest).read_bytes()
    assert on_disk.startswith(MAGIC) and b"riservata" not in on_disk
    assert store.key_id(digest) == store.keyring.current_id
    assert store.read(digest) == data
    with pytest.raises(DocumentKeyError):  # another key cannot open it
        _store(tmp_path, new_key()).read(digest)
    moved = store.path("f" * 64)
    moved.parent.mkdir(parents=True, exist_ok=True)
    moved.write_bytes(on_disk)  # sealed for its own address only
    with pytest.raises(DocumentKeyError):
        store.read("f" * 64)


def test_rotation_old_keys_read_and_rekey_moves_everything(tmp_path: Path) -> None:
    old = _store(tmp_path)
    sealed = old.put(b"sealed with the old key", "image/png", "a.png").sha256
    legacy = hashlib.sha256(b"written before encryption").hexdigest()
    old.path(legacy).parent.mkdir(parents=True, exist_ok=True)
    old.path(legacy).write_bytes(b"written before encryption")
    fresh_key = new_key()
    rotated = _store(tmp_path, fresh_key, old=(KEY,))
    assert rotated.read(sealed) == b"sealed with the old key"
    assert rotated.read(legacy) == b"written before encryption"  # still readable
    assert rotated.rekey() == (2, 0)
    assert rotated.rekey() == (0, 2)
    alone = _store(tmp_path, fresh_key)  # the old key can now be dropped
    assert alone.read(sealed) == b"sealed with the old key"
    assert alone.read(legacy) == b"written before encryption"
    assert b"before encryption" not in alone.path(legacy).read_bytes()


def test_leftover_temporary_files_are_cleaned(tmp_path: Path) -> None:
    import os
    import time

    store = _store(tmp_path)
    kept = store.put(b"kept", "image/png", "a.png").sha256
    folder = store.path(kept).parent
    stale, recent = folder / ".tmp-dead", folder / ".tmp-writing"
    stale.write_bytes(b"half a document")
    recent.write_bytes(b"being written")
    hour_ago = time.time() - 7200
    os.utime(stale, (hour_ago, hour_ago))
    assert store.clean_temporary() == 1
    assert not stale.exists() and recent.exists() and store.exists(kept)


def test_folders_and_files_are_private(tmp_path: Path) -> None:
    store = _store(tmp_path / "docs")
    digest = store.put(b"x", "image/png", "a.png").sha256
    assert store.path(digest).stat().st_mode & 0o777 == 0o600
    assert store.path(digest).parent.stat().st_mode & 0o777 == 0o700


def test_a_written_document_has_its_folder_flushed(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The rename is durable only once the folder is: each write flushes the document's
    folder, and the root too when the folder is new."""
    import portal.documents as documents

    synced: list[Path] = []
    real = documents._sync_folder
    monkeypatch.setattr(documents, "_sync_folder", lambda path: (synced.append(path),
                                                                 real(path)))
    store = _store(tmp_path / "docs")
    first = store.put(b"first receipt", "image/png", "a.png")
    assert synced == [store.path(first.sha256).parent, tmp_path / "docs"]
    synced.clear()
    store.put(b"first receipt", "image/png", "a.png")
    assert synced == []  # already there: nothing written
    data = next(b"x%d" % i for i in range(999) if hashlib.sha256(b"x%d" % i).hexdigest()[:2]
                == first.sha256[:2])
    store.put(data, "image/png", "b.png")
    assert synced == [store.path(first.sha256).parent]  # the folder existed
