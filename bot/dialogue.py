"""Scripted conversations, run through the real engine and store, checked against what they
expect: phrases in the replies, where the conversation is, the fields of the request stored.

One JSON object per line:

    {"name": "...", "family": "corrections",
     "events": [{"text": "rimborso"}, {"tap": "Luca Rossi"}, {"photo": "Fattura 1"},
                {"text": "anzi era per Luca", "expect": ["Luca Rossi"], "step": "exp_amount"}],
     "request": {"beneficiary": "Luca Rossi", "documents.0.amount": "90", "documents.count": 1}}

Events: `text`, `tap` (a button by its label), `photo` (a generated photo of a document with
that text), `file` (a path, relative to the script file), `location` ([lat, lon]), `voice` (a
voice note, a path relative to the script file, with `said`: the words spoken, for the word
error rate). A voice note the bot reads back for confirmation is confirmed («Sì, è giusto»),
as a customer who sees it is right would; the event's `expect` and `absent` are checked on
what the customer read (the read-back and the reply to the yes), `step` and `flow` after the
yes. `today` (YYYY-MM-DD) fixes the day the conversation happens, `customer` who speaks (a
codice fiscale; Mario Rossi of the demo household by default). Each event
may carry `expect` (phrases that must all be in the replies, case and accents ignored),
`absent` (phrases that must not), `step` and `flow` (where the conversation must be after it).
`request` checks the last request submitted (dotted paths; `beneficiary` and `payee` are full
names; `documents.count` the number of documents); `"request": null` checks that nothing was
submitted.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.conversation import TurnResult
from bot.runtime import Runtime
from bot.speech import Listened
from dialogs.events import Heard, Inbound, IncomingFile, IncomingVoice, Reply
from dialogs.matching import normalise
from portal.models import Household, Request

__all__ = ["DialogueResult", "Script", "VoiceMeasure", "load_scripts", "run_scripts"]

# The customer scripts speak as unless they say otherwise: Mario Rossi of the demo household.
DEFAULT_CUSTOMER = "RSSMRA75D12H501J"
_CHANNEL = "eval"
_UNSET = object()
# Appointments are stored in UTC; scripts say them in the insurer's time zone.
_LOCAL = ZoneInfo("Europe/Rome")


@dataclass(frozen=True, slots=True)
class Script:
    name: str
    family: str
    events: tuple[dict[str, Any], ...]
    request: Any = _UNSET  # a dict of expected fields, None for "nothing submitted"
    customer: str = DEFAULT_CUSTOMER
    folder: Path = Path(".")
    # The day the script assumes ("today" in its line), else the day given to run_scripts.
    today: date | None = None


@dataclass(frozen=True, slots=True)
class VoiceMeasure:
    """One voice note of a script: what was said and heard, and how long until the reply."""

    said: str
    heard: str
    sure: bool
    avg_logprob: float
    seconds: float  # the note's length
    reply_seconds: float  # from the note received to the reply (confirmation not counted)
    confirmed: bool  # the bot read it back and asked
    handled: bool = True  # the event's expectations held


@dataclass(slots=True)
class DialogueResult:
    script: Script
    failures: list[str] = field(default_factory=list)
    voices: list[VoiceMeasure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_scripts(path: Path) -> list[Script]:
    scripts = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            data = json.loads(line)
            scripts.append(Script(
                name=str(data.get("name") or f"riga {number}"),
                family=str(data.get("family") or "altro"),
                events=tuple(data["events"]),
                request=data["request"] if "request" in data else _UNSET,
                customer=str(data.get("customer") or DEFAULT_CUSTOMER),
                folder=path.parent,
                today=date.fromisoformat(data["today"]) if data.get("today") else None,
            ))
    return scripts


async def run_scripts(scripts: Iterable[Script], today: date,
                      settings: dict[str, Any] | None = None,
                      typed: bool = False) -> list[DialogueResult]:
    """Each script on a fresh copy of the demo database, as `medbot db init --demo` makes it.
    `settings`: more settings for the runs (the speech model's, for voice notes); `typed`:
    each voice note's words typed instead (how the text path does with exact words)."""
    with tempfile.TemporaryDirectory(prefix="medbot-dialogue-") as folder:
        template = Path(folder) / "template"
        await _make_template(template)
        results = []
        for i, script in enumerate(scripts):
            home = Path(folder) / f"run{i}"
            shutil.copytree(template, home)
            if typed:
                script = dataclasses.replace(script, events=tuple(
                    {**{k: v for k, v in e.items() if k != "voice"}, "text": e["said"]}
                    if "voice" in e else e for e in script.events))
            results.append(await _run(script, home, script.today or today, settings or {}))
            shutil.rmtree(home, ignore_errors=True)
        return results


async def _make_template(home: Path) -> None:
    from portal.demo import load_demo
    from portal.network import load_network

    runtime = await Runtime.open(Settings(home=home, database_url=None))
    try:
        await load_demo(runtime.store)
        await load_network(runtime.store)
    finally:
        await runtime.close()


async def _run(script: Script, home: Path, today: date, settings: dict[str, Any]
               ) -> DialogueResult:
    result = DialogueResult(script)
    runtime = await Runtime.open(Settings(home=home, today=today, database_url=None,
                                          **settings))
    try:
        customer = await runtime.store.customer_by_fiscal_code(script.customer)
        if customer is None:
            result.failures.append(f"nessun cliente {script.customer}")
            return result
        choices: list[tuple[str, str]] = []
        submitted: str | None = None
        for n, event in enumerate(script.events, start=1):
            inbound = _inbound(event, choices, script.folder)
            if isinstance(inbound, str):
                result.failures.append(f"evento {n}: {inbound}")
                return result
            measure = None
            read_back: list[Reply] = []
            if inbound.voice is not None:
                turn, measure, read_back = await _voice_turn(runtime, customer.id, inbound,
                                                             str(event.get("said", "")))
            else:
                turn = await runtime.conversations.handle(_CHANNEL, "eval", customer.id,
                                                          inbound)
            # What the customer read for this message: a voice note's read-back too.
            text = "\n\n".join(r.text for r in (*read_back, *turn.replies))
            choices = [(c.id, c.label) for r in turn.replies for c in r.choices]
            submitted = turn.request_number or submitted
            failed = [f"evento {n} ({_said(event)}): {f}"
                      for f in _check_turn(event, text, turn.replies, turn.flow, turn.step)]
            result.failures += failed
            if measure is not None:
                if failed:
                    failed.append(f"    sentito: {measure.heard!r}")
                    result.failures.append(failed[-1])
                result.voices.append(dataclasses.replace(measure, handled=not failed))
        if script.request is not _UNSET:
            household = await runtime.store.household(customer.id)
            request = await runtime.store.get_request(submitted) if submitted else None
            result.failures += _check_request(script.request, request, household)
    finally:
        await runtime.close()
    return result


async def _voice_turn(runtime: Runtime, customer_id: int, inbound: Inbound, said: str
                      ) -> tuple[TurnResult, VoiceMeasure, list[Reply]]:
    """The note listened to and the turn run, timed together as the customer waits for
    them; a read-back is confirmed (and returned: the customer read it, "Ho capito: «150
    euro». È giusto?", and the reply after the yes need not say the amount again)."""
    conversations = runtime.conversations
    assert inbound.voice is not None
    started = time.perf_counter()
    listener = conversations.listener
    if listener is not None:
        cue = await conversations.cue(_CHANNEL, "eval", customer_id)
        listened = await listener.listen(inbound.voice, cue)
    else:
        listened = Listened(Heard("", False, "unavailable"))
    turn = await conversations.handle(_CHANNEL, "eval", customer_id,
                                      Inbound(heard=listened.heard))
    elapsed = time.perf_counter() - started
    confirmed = turn.step == "confirm_heard"
    read_back: list[Reply] = []
    if confirmed:
        read_back = list(turn.replies)
        yes = next(c.id for r in turn.replies for c in r.choices if c.id.endswith(".yes"))
        turn = await conversations.handle(_CHANNEL, "eval", customer_id, Inbound(choice=yes))
    return turn, VoiceMeasure(said, listened.raw, listened.heard.sure, listened.avg_logprob,
                              listened.seconds, elapsed, confirmed), read_back


def _inbound(event: dict[str, Any], choices: list[tuple[str, str]], folder: Path
             ) -> Inbound | str:
    if "voice" in event:
        path = folder / str(event["voice"])
        return Inbound(voice=IncomingVoice(path.read_bytes(), path.name))
    if "text" in event:
        return Inbound(text=str(event["text"]))
    if "tap" in event:
        wanted = normalise(str(event["tap"]))
        found = [i for i, label in choices if normalise(label) == wanted]
        found = found or [i for i, label in choices if wanted in normalise(label)]
        if len(found) != 1:
            return f"{len(found)} pulsanti per «{event['tap']}»: {[c[1] for c in choices]}"
        return Inbound(choice=found[0])
    if "photo" in event:
        return Inbound(file=IncomingFile(_photo(str(event["photo"])), "foto.jpg"))
    if "file" in event:
        path = folder / str(event["file"])
        return Inbound(file=IncomingFile(path.read_bytes(), path.name))
    if "location" in event:
        lat, lon = event["location"]
        return Inbound(location=(float(lat), float(lon)))
    return f"evento sconosciuto: {sorted(event)}"


def _photo(text: str) -> bytes:
    """A photo of a document: different text, different bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(image).text((20, 20), text, fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def _check_turn(event: dict[str, Any], text: str, replies: list[Reply], flow: str | None,
                step: str | None) -> list[str]:
    failures = []
    seen = normalise(text + " " + " ".join(c.label for r in replies for c in r.choices))
    for phrase in event.get("expect", []):
        if normalise(phrase) not in seen:
            failures.append(f"manca «{phrase}» in: {text[:300]!r}")
    for phrase in event.get("absent", []):
        if normalise(phrase) in seen:
            failures.append(f"non doveva esserci «{phrase}»")
    if "step" in event and event["step"] != step:
        failures.append(f"domanda {step!r} invece di {event['step']!r}")
    if "flow" in event and event["flow"] != flow:
        failures.append(f"flusso {flow!r} invece di {event['flow']!r}")
    return failures


def _check_request(expected: Any, request: Request | None, household: Household) -> list[str]:
    if expected is None:
        return [] if request is None else [f"inviata la richiesta {request.number}, non attesa"]
    if request is None:
        return ["nessuna richiesta inviata"]
    stored = _flat(request, household)
    failures = []
    for key, want in expected.items():
        have = stored.get(key, _UNSET)
        if have is _UNSET:
            failures.append(f"richiesta: nessun campo {key}")
        elif not _same(have, want):
            failures.append(f"richiesta: {key} = {have!r}, atteso {want!r}")
    return failures


def _flat(request: Request, household: Household) -> dict[str, Any]:
    """The stored request as dotted paths, with people by their full names."""
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list | tuple):
            flat[f"{prefix}.count"] = len(value)
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v)
        else:
            flat[prefix] = value

    walk("", dataclasses.asdict(request))
    names = {m.id: m.full_name for m in household.members}
    flat["beneficiary"] = names.get(request.beneficiary_id)
    flat["payee"] = names.get(request.payee_id) if request.payee_id else None
    return flat


def _same(have: Any, want: Any) -> bool:
    if isinstance(have, Enum):
        have = have.value
    if isinstance(have, datetime) and have.tzinfo is not None:
        have = have.astimezone(_LOCAL)  # as the customer said it: Italian time
    if isinstance(have, datetime | date):
        return have.isoformat().startswith(str(want))
    if isinstance(have, Decimal) or isinstance(want, int | float) and not isinstance(want, bool):
        try:
            return Decimal(str(have)) == Decimal(str(want))
        except (InvalidOperation, ValueError):
            return False
    return have == want or str(have) == str(want)


def _said(event: dict[str, Any]) -> str:
    ((key, value), *_) = ((k, v) for k, v in event.items()
                          if k in ("text", "tap", "photo", "file", "location", "voice"))
    return f"{key}: {value}"
