"""The console channel: a person at the terminal, or a program speaking JSON lines."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.conversation import TurnResult
from bot.runtime import Runtime
from dialogs.events import Choice, Inbound, IncomingFile, IncomingVoice, OutgoingFile, Reply
from dialogs.state import State
from dialogs.uploads import safe_filename
from portal.models import Person

CHANNEL = "console"
# Bigger files are refused before reading them (the dialogs refuse anything over 10 MB).
READ_LIMIT = 64 * 1024 * 1024
# A path typed at the console with one of these endings is a voice note, not a document.
AUDIO_SUFFIXES = {".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav"}


class EventError(ValueError):
    """A JSON line that is not an event; the message is Italian, for the reply."""


def event_to_inbound(event: Any) -> Inbound:
    """One JSON event as an Inbound: text, choice, file (a path), location or contact."""
    if not isinstance(event, dict) or len(event) != 1:
        raise EventError("Evento non valido: serve un oggetto con una sola chiave tra "
                         "text, choice, file, voice, location, contact.")
    (key, value), = event.items()
    if key == "text" and isinstance(value, str):
        return Inbound(text=value)
    if key == "choice" and isinstance(value, str):
        return Inbound(choice=value)
    if key == "file" and isinstance(value, str):
        return Inbound(file=read_file(Path(value)))
    if key == "voice" and isinstance(value, str):
        return Inbound(voice=read_voice(Path(value)))
    if key == "location" and isinstance(value, list) and len(value) == 2 and all(
        isinstance(v, int | float) for v in value
    ):
        return Inbound(location=(float(value[0]), float(value[1])))
    if key == "contact" and isinstance(value, str):
        return Inbound(contact=value)
    raise EventError(f"Evento non valido: «{key}» non è un tipo di evento conosciuto "
                     "o il suo valore non è del tipo giusto.")


def read_file(path: Path) -> IncomingFile:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise EventError(f"{path} non è un file.")
        if size > READ_LIMIT:
            raise EventError(f"Il file pesa {size // 1024 // 1024} MB: il massimo è 10 MB.")
        return IncomingFile(data=path.read_bytes(), filename=path.name)
    except OSError as exc:
        raise EventError(f"Non riesco a leggere il file {path}: {exc.strerror or exc}.") from exc


def read_voice(path: Path) -> IncomingVoice:
    """A voice note from a file (OGG/Opus as the apps record them, or MP3, M4A, WAV). The
    file is the person's own: read, not removed."""
    file = read_file(path)
    return IncomingVoice(data=file.data, filename=file.filename)


def reply_json(reply: Reply, downloads: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"text": reply.text,
                           "choices": [{"id": c.id, "label": c.label} for c in reply.choices]}
    if reply.venue is not None:
        v = reply.venue
        out["venue"] = {"name": v.name, "address": v.address, "lat": v.lat, "lon": v.lon,
                        "phone": v.phone}
    if reply.file is not None:
        out["file"] = {"name": reply.file.filename, "mime_type": reply.file.mime_type,
                       "size": len(reply.file.data),
                       "path": str(save_download(reply.file, downloads))}
    return out


def save_download(file: OutgoingFile, downloads: Path) -> Path:
    """A file the bot sends, written where the person at the console can open it."""
    downloads.mkdir(parents=True, exist_ok=True)
    # Names recorded before uploads were sanitised may hold NUL, line breaks or folders.
    path = downloads / safe_filename(file.filename)
    path.write_bytes(file.data)
    return path


async def run_jsonl(runtime: Runtime, customer: Person, stdin: TextIO, stdout: TextIO) -> None:
    """Each input line is one event; after each, exactly one output line."""
    conversations = runtime.conversations
    state = await _state(runtime, customer)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        if not line.strip():
            continue
        try:
            inbound = event_to_inbound(json.loads(line))
        except (json.JSONDecodeError, EventError) as exc:
            message = str(exc) if isinstance(exc, EventError) else "Riga non valida: non è JSON."
            out = {"replies": [{"text": message, "choices": []}], "state": state,
                   "error": "bad_event"}
        else:
            result = await conversations.handle(CHANNEL, customer.fiscal_code, customer.id,
                                                inbound)
            state = _result_state(result)
            out = {"replies": [reply_json(r, _downloads(runtime)) for r in result.replies],
                   "state": state}
            if result.request_number:
                out["request_number"] = result.request_number
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
        runtime.warm_up()  # once the first answer is out: what later turns need


async def run_interactive(
    runtime: Runtime,
    customer: Person,
    read_line: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    """Numbered choices; a number picks one, a path sends that file; Ctrl-D leaves."""
    conversations = runtime.conversations
    write(f"medbot: sei {customer.full_name}. Scrivi come in chat; un numero sceglie "
          "un'opzione, il percorso di un file lo invia. Ctrl-D per uscire.\n")
    result = await conversations.handle(CHANNEL, customer.fiscal_code, customer.id,
                                        Inbound())
    choices = _show(result, write, _downloads(runtime))
    runtime.warm_up()
    loop = asyncio.get_running_loop()
    while True:
        try:
            line = await loop.run_in_executor(None, read_line, "> ")
        except (EOFError, KeyboardInterrupt):
            write("\nA presto!")
            return
        inbound = _typed_inbound(line, choices)
        if isinstance(inbound, str):
            write(inbound)
            continue
        result = await conversations.handle(CHANNEL, customer.fiscal_code, customer.id,
                                            inbound)
        choices = _show(result, write, _downloads(runtime))


def _typed_inbound(line: str, choices: list[Choice]) -> Inbound | str:
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return Inbound(choice=choices[int(text) - 1].id)
    candidate = Path(text.strip("'\"")).expanduser()
    if text and ("/" in text or "\\" in text) and candidate.exists():
        try:
            if candidate.suffix.lower() in AUDIO_SUFFIXES:
                return Inbound(voice=read_voice(candidate))
            return Inbound(file=read_file(candidate))
        except EventError as exc:
            return str(exc)
    return Inbound(text=line)


def _downloads(runtime: Runtime) -> Path:
    return runtime.settings.home / "downloads"


def _show(result: TurnResult, write: Callable[[str], None], downloads: Path) -> list[Choice]:
    choices: list[Choice] = []
    for reply in result.replies:
        write(reply.text)
        if reply.venue is not None:
            write(f"  [{reply.venue.address} · {reply.venue.phone} · "
                  f"{reply.venue.lat:.5f},{reply.venue.lon:.5f}]")
        if reply.file is not None:
            write(f"  [file: {save_download(reply.file, downloads)}]")
        for choice in reply.choices:
            choices.append(choice)
            write(f"  {len(choices)}. {choice.label}")
        write("")
    return choices


async def _state(runtime: Runtime, customer: Person) -> dict[str, Any]:
    record = await runtime.store.load_conversation(CHANNEL, customer.fiscal_code)
    state = State.from_json(record.state if record else None)
    return {"flow": state.flow, "step": state.asked if state.flow else None}


def _result_state(result: TurnResult) -> dict[str, Any]:
    return {"flow": result.flow, "step": result.step}
