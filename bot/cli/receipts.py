"""`medbot receipts read FILE` and `medbot eval receipts DIR`: the receipt reader from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli.groups import eval_group

__all__ = ["receipts_group"]


@click.group("receipts")
def receipts_group() -> None:
    """Ricevute e fatture lette da foto e PDF."""


@receipts_group.command("read")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Stampa il risultato in JSON.")
def read_command(file: Path, as_json: bool) -> None:
    """Legge FILE (foto o PDF) e stampa data, importo, numero e il resto."""
    from nlu.receipts import read_receipt

    receipt = read_receipt(file)
    fields = {
        "date": receipt.date, "total": receipt.total, "number": receipt.number,
        "issuer": receipt.issuer, "vat_number": receipt.vat_number,
        "patient_tax_code": receipt.patient_tax_code,
    }
    if as_json:
        out = {
            name: None if found is None else {"value": str(found.value),
                                              "confidence": found.confidence}
            for name, found in fields.items()
        }
        out["lines"] = [{"description": line.description,
                         "amount": None if line.amount is None else str(line.amount)}
                        for line in receipt.lines]
        out["source"] = receipt.source
        out["pages"] = receipt.pages
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not receipt.anything:
        click.echo("Non ho letto né data, né importo, né numero.")
    for name, found in fields.items():
        shown = "-" if found is None else f"{found.value}  (confidenza {found.confidence:.2f})"
        click.echo(f"{name:>17}: {shown}")
    for line in receipt.lines:
        click.echo(f"{'riga':>17}: {line.description}  {line.amount or ''}")
    click.echo(f"{'origine':>17}: {receipt.source or '-'}, pagine {receipt.pages}")


@eval_group.command("receipts")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--misses/--no-misses", default=True, show_default=True,
              help="Elenca i campi letti male.")
@click.option("--verbose", is_flag=True, help="Una riga per file, mentre legge.")
def eval_receipts_command(folder: Path, misses: bool, verbose: bool) -> None:
    """Accuratezza e tempi del lettore su FOLDER (con FOLDER/truth.jsonl: file, date, amount,
    number e, se ci sono, issuer, vat_number, patient_tax_code)."""
    from nlu.receipts import warm_up
    from nlu.receipts.evaluate import evaluate

    warm_up()  # the model's loading is no receipt's time
    result = evaluate(folder, progress=click.echo if verbose else None)
    if misses:
        for miss in result.misses:
            click.echo(miss)
    for line in result.lines():
        click.echo(line)
