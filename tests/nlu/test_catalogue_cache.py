"""nlu.catalogue.cache: built once per data and code, loaded afterwards, rebuilt on change."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nlu.catalogue.cache import cache_dir, cached, source_key


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDBOT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.csv").write_text("codice;descrizione\n89.7;visita\n", encoding="utf-8")
    return folder


def test_built_once_then_loaded(data: Path) -> None:
    builds: list[int] = []

    def build() -> dict[str, list[int]]:
        builds.append(1)
        return {"entries": [1, 2, 3]}

    assert cached("test", data, build) == {"entries": [1, 2, 3]}
    assert cached("test", data, build) == {"entries": [1, 2, 3]}
    assert len(builds) == 1
    (stored,) = cache_dir().glob("test-*.pickle")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700


def test_changed_data_is_built_again_and_the_old_file_goes(data: Path) -> None:
    before = source_key(data)
    assert cached("test", data, lambda: "old") == "old"
    (data / "a.csv").write_text("codice;descrizione\n89.7;visita cardiologica\n",
                                encoding="utf-8")
    assert source_key(data) != before
    assert cached("test", data, lambda: "new") == "new"
    assert len(list(cache_dir().glob("test-*.pickle"))) == 1


def test_a_broken_cache_file_means_building_again(data: Path) -> None:
    assert cached("test", data, lambda: "first") == "first"
    (stored,) = cache_dir().glob("test-*.pickle")
    stored.write_bytes(b"not a pickle")
    assert cached("test", data, lambda: "rebuilt") == "rebuilt"
    assert cached("test", data, lambda: "unused") == "rebuilt"


def test_an_unwritable_cache_still_gives_the_catalogue(data: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MEDBOT_CACHE_DIR", str(blocker / "cache"))  # under a file: fails
    assert cached("test", data, lambda: "built") == "built"


def test_a_catalogue_remembers_searches_but_keeps_them_out_of_its_cache_file() -> None:
    import pickle

    from nlu.catalogue import load_catalogue

    catalogue = load_catalogue()
    first = catalogue.search("visita cardiologica", limit=3)
    sure = catalogue.confidence("visita cardiologica", first, ["Luca"])
    first.clear()  # the caller's own list: what is remembered stays
    again = catalogue.search("visita cardiologica", limit=3)
    assert again and again[0].code == "89.7A.3"
    assert catalogue.confidence("visita cardiologica", again, ["Luca"]) == sure
    assert catalogue.search("visita cardiologica", limit=1) == again[:1]
    assert catalogue.search("visita cardiologica", kind="ricovero", limit=3) != again
    copy = pickle.loads(pickle.dumps(catalogue))
    assert not any(k.startswith("_remembered") for k in vars(copy))
    assert copy.search("visita cardiologica", limit=3) == again
