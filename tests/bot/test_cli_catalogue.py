"""`medbot catalogue search|show`, `medbot eval catalogue`, `medbot bench catalogue`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from bot.cli.catalogue import _typo_stream, catalogue_group
from bot.cli.groups import bench_group, eval_group


def _run(group: object, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(group, list(args), input=stdin, catch_exceptions=False)  # type: ignore[arg-type]


def test_search_readable() -> None:
    result = _run(catalogue_group, "search", "eco", "addome", "--limit", "2")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:2] == ["100.0", "88.76.1"]
    assert "Ecografia dell'addome completo" in lines[0] and "[ambulatoriale]" in lines[0]


def test_search_json_with_kind() -> None:
    result = _run(
        catalogue_group, "search", "togliere la cistifellea", "--kind", "ricovero", "--json"
    )
    matches = json.loads(result.output)
    assert {match["code"] for match in matches[:2]} == {"51.22", "51.23"}
    assert all(
        match["kind"] == "ricovero" and set(match) == {"code", "name", "kind", "score"}
        for match in matches
    )


def test_search_nothing_found_exits_with_one() -> None:
    result = _run(catalogue_group, "search", "pizza", "margherita")
    assert result.exit_code == 1
    assert result.output == "Nessuna prestazione corrispondente.\n"
    result = _run(catalogue_group, "search", "asdfgh", "--json")
    assert result.exit_code == 1 and json.loads(result.output) == []


def test_search_rejects_an_unknown_kind() -> None:
    result = CliRunner().invoke(catalogue_group, ["search", "ecg", "--kind", "ospedale"])
    assert result.exit_code == 2


def test_search_batch_from_stdin_one_json_array_per_line() -> None:
    result = _run(catalogue_group, "search", "-", "--limit", "1", stdin="ecg\nciao\n\n89.7A.3\n")
    assert result.exit_code == 0
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [[match["code"] for match in answer] for answer in answers] == [
        ["89.52"],
        [],
        [],
        ["89.7A.3"],
    ]


def test_show() -> None:
    result = _run(catalogue_group, "show", "89.7A.3")
    assert result.output.startswith(
        "89.7A.3 [ambulatoriale] Prima visita cardiologica\nPRMA VISITA"
    )
    assert _run(catalogue_group, "show", "00.00.0").exit_code == 1


def _labelled(tmp_path: Path) -> Path:
    rows = [
        {"text": "ecg", "kind": "ambulatoriale", "accept": ["89.52"]},
        {"text": "rmn ginocchio", "kind": "ambulatoriale", "accept": ["88.94.D"]},
        {"text": "tonsille", "kind": "ricovero", "accept": ["99.99"]},
    ]
    path = tmp_path / "catalogue.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_eval_prints_accuracy_and_misses(tmp_path: Path) -> None:
    result = _run(eval_group, "catalogue", str(_labelled(tmp_path)))
    assert result.exit_code == 0
    assert (
        "✗ 'tonsille' (ricovero)" in result.output
        and "atteso 99.99 (fuori dai primi 5)" in result.output
    )
    assert "top-1: 2/3 (66.7%)" in result.output
    assert "top-5: 2/3 (66.7%)" in result.output
    quiet = _run(eval_group, "catalogue", str(_labelled(tmp_path)), "--no-misses")
    assert "✗" not in quiet.output


def test_bench_prints_build_time_and_latencies(tmp_path: Path) -> None:
    result = _run(
        bench_group,
        "catalogue",
        "--queries",
        str(_labelled(tmp_path)),
        "--rounds",
        "2",
        "--typos",
        "30",
        "--no-baseline",
        "--no-build",
        "--no-startup",
    )
    assert result.exit_code == 0
    assert "ricerche (catalogue.jsonl x 2): p50" in result.output
    assert "ricerche con errori di battitura (seme 2026): p50" in result.output
    assert "accuratezza con errori di battitura" in result.output


def test_typo_stream_is_deterministic() -> None:
    rows: list[dict[str, Any]] = [{"text": "ecografia addome completo", "kind": None, "accept": []}]
    first, again = _typo_stream(rows, 20, seed=7), _typo_stream(rows, 20, seed=7)
    assert first == again
    assert any(row["text"] != rows[0]["text"] for row in first)
    assert _typo_stream(rows, 20, seed=8) != first
