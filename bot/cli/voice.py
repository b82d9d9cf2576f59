"""`medbot eval voice DIR`: voice notes through the real speech model and conversation, with
the word error rate, the time from note to reply, and how often the note was handled right."""

from __future__ import annotations

import asyncio
import statistics
from datetime import date, datetime
from pathlib import Path

import click

from bot.cli.groups import eval_group

__all__ = ["eval_voice_command", "word_error_rate"]


def word_error_rate(said: str, heard: str) -> tuple[int, int]:
    """(word edits, words said), both written as typed (digits, no punctuation, lower case):
    "dodici" heard as "12" is no error."""
    from rapidfuzz.distance import Levenshtein

    from dialogs.matching import normalise
    from nlu.spoken import written_form

    reference = _words(normalise(written_form(said)))
    hypothesis = _words(normalise(written_form(heard)))
    return Levenshtein.distance(reference, hypothesis), len(reference)


def _words(text: str) -> list[str]:
    """Words, with each digit a word of its own: an IBAN or a request number said digit by
    digit is written as one run of digits, which would count as one word said and make any
    mishearing of it look like hundreds of per cent of errors; digit by digit, a wrong digit
    is one error."""
    return [w for word in text.split()
            for w in (list(word) if word.isdigit() else [word])]


@eval_group.command("voice")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Il giorno di oggi (AAAA-MM-GG) per i copioni che non lo dicono.")
@click.option("--model", help="Cartella di pesi CTranslate2 o nome del modello (predefinito: "
              "MEDBOT_SPEECH_MODEL, altrimenti i pesi dell'extra voice).")
@click.option("--beam-size", type=int, default=None, help="Ampiezza del beam search.")
@click.option("--vad/--no-vad", default=None, help="Filtro di attività vocale (Silero).")
@click.option("--prompt/--no-prompt", default=None, help="Il prompt con le parole del dominio.")
@click.option("--typed", is_flag=True, help="Scrive le parole dette invece della nota: come "
              "se la trascrizione fosse perfetta (riferimento per «gestite bene»).")
@click.option("--failures/--no-failures", default=True, show_default=True,
              help="Elenca le note gestite male, con quello che è stato sentito.")
def eval_voice_command(folder: Path, today: datetime | None, model: str | None,
                       beam_size: int | None, vad: bool | None, prompt: bool | None,
                       typed: bool, failures: bool) -> None:
    """Le note vocali di FOLDER/truth.jsonl (copioni di `eval dialogue` con eventi «voice»):
    errore sulle parole, tempi dalla nota alla risposta (p50/p95), note gestite bene."""
    from bot.config import get_settings
    from bot.dialogue import load_scripts, run_scripts
    from bot.speech import model_source

    settings = get_settings()
    overrides: dict[str, object] = {}
    if beam_size is not None:
        overrides["speech_beam_size"] = beam_size
    if vad is not None:
        overrides["speech_vad"] = vad
    if prompt is not None:
        overrides["speech_prompt"] = prompt
    # Assembled (or found) once here, so each script's fresh home loads the same model.
    source = model or model_source(settings)
    if source is None:
        raise click.ClickException("Nessun modello vocale: installa l'extra voice "
                                   "(pip install -e '.[voice]') o imposta MEDBOT_SPEECH_MODEL.")
    overrides["speech_model"] = source
    scripts = load_scripts(folder / "truth.jsonl")
    results = asyncio.run(run_scripts(scripts, today.date() if today else date.today(),
                                      overrides, typed))
    if typed:
        passed = sum(r.passed for r in results)
        for result in results:
            if failures and not result.passed:
                click.echo(f"✗ {result.script.name}: {'; '.join(result.failures)}")
        click.echo(f"Parole dette, scritte: gestite bene {passed}/{len(results)} "
                   f"({100 * passed / len(results):.0f} %)")
        return
    measures = [m for r in results for m in r.voices]
    if not measures:
        raise click.ClickException("Nessuna nota vocale nei copioni.")
    edits = words = 0
    for result in results:
        for measure in result.voices:
            e, w = word_error_rate(measure.said, measure.heard)
            edits, words = edits + e, words + w
        if failures and not result.passed:
            click.echo(f"✗ {result.script.name}")
            for failure in result.failures:
                click.echo(f"    {failure}")
    latencies = sorted(m.reply_seconds for m in measures)
    handled = sum(m.handled for m in measures)
    unsure = [m for m in measures if not m.sure]
    click.echo(f"Modello: {source}; beam {settings.speech_beam_size if beam_size is None else beam_size}, "
               f"VAD {'sì' if (settings.speech_vad if vad is None else vad) else 'no'}, "
               f"prompt {'sì' if (settings.speech_prompt if prompt is None else prompt) else 'no'}")
    click.echo(f"Note: {len(measures)} ({sum(m.seconds for m in measures):.0f} s di parlato)")
    click.echo(f"Errore sulle parole (WER): {100 * edits / max(1, words):.1f} %")
    click.echo(f"Dalla nota alla risposta: p50 {_percentile(latencies, 50):.2f} s, "
               f"p95 {_percentile(latencies, 95):.2f} s, max {latencies[-1]:.2f} s")
    click.echo(f"Rilette e confermate: {sum(m.confirmed for m in measures)}; "
               f"incerte: {len(unsure)} (WER medio delle incerte "
               f"{_mean_wer(unsure):.0f} %, delle sicure {_mean_wer([m for m in measures if m.sure]):.0f} %)")
    click.echo(f"Gestite bene: {handled}/{len(measures)} ({100 * handled / len(measures):.0f} %)")


def _percentile(values: list[float], percent: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _mean_wer(measures: list) -> float:  # type: ignore[type-arg]
    rates = []
    for m in measures:
        e, w = word_error_rate(m.said, m.heard)
        rates.append(100 * e / max(1, w))
    return statistics.fmean(rates) if rates else 0.0
