"""`medbot receipts read` and `medbot eval receipts` on text-layer PDFs of the development set."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from bot.cli import main
from tests.nlu.receipts.conftest import DEV, truths


def test_read_json() -> None:
    truth = next(t for t in truths() if t["file"].endswith("-pdf.pdf"))
    result = CliRunner().invoke(main, ["receipts", "read", str(DEV / truth["file"]), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    read = json.loads(result.output)
    assert read["date"]["value"] == truth["date"]
    assert read["total"]["value"] == truth["amount"]
    assert read["number"]["value"] == truth["number"]
    assert read["source"] == "text"


def test_read_says_when_nothing_is_read(tmp_path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4 nothing")
    result = CliRunner().invoke(main, ["receipts", "read", str(junk)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Non ho letto" in result.output


def test_eval(tmp_path) -> None:
    chosen = [t for t in truths() if t["file"].endswith("-pdf.pdf")][:3]
    for truth in chosen:
        shutil.copy(DEV / truth["file"], tmp_path / truth["file"])
    wrong = dict(chosen[0], amount="1.00")  # one wrong truth: the eval must say so
    rows = [wrong, *chosen[1:]]
    (tmp_path / "truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(main, ["eval", "receipts", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "amount: 2/3" in result.output
    assert "data+importo+numero giusti: 2/3" in result.output
    assert "p95" in result.output
