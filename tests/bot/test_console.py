"""The console channel's own pieces: files it writes for the person at the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.console import save_download
from dialogs.events import OutgoingFile


@pytest.mark.parametrize("name", ["ricevuta\x00.pdf", "a\r\nb.pdf", "../../fuori.pdf",
                                  "..", "\x00"])
def test_a_recorded_name_with_nul_breaks_or_folders_is_saved_safely(
        tmp_path: Path, name: str) -> None:
    path = save_download(OutgoingFile(name, "application/pdf", b"%PDF-1.4"), tmp_path)
    assert path.parent == tmp_path and path.read_bytes() == b"%PDF-1.4"
    assert not any(ch in path.name for ch in "\x00\r\n/")
