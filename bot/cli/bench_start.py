"""`medbot bench start`: a new `medbot chat --jsonl` process until its first answer, against a
bare python-telegram-bot Application answering its first update, measured in the same run."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from bot.cli.groups import bench_group

__all__ = ["bench_start_command"]

# The anchor: PTB's Application with an echo handler and an in-memory Bot API (no network),
# from a new process to the first reply it sends.
_BARE_PTB = r'''
import asyncio, json, sys
from telegram import Update
from telegram.ext import Application, MessageHandler, filters
from telegram.request import BaseRequest

ME = {"id": 1, "is_bot": True, "first_name": "bench", "username": "bench_bot"}

class Memory(BaseRequest):
    @property
    def read_timeout(self): return None
    async def initialize(self): pass
    async def shutdown(self): pass
    async def do_request(self, url, method, request_data=None, read_timeout=None,
                         write_timeout=None, connect_timeout=None, pool_timeout=None):
        name = url.rsplit("/", 1)[-1]
        if name == "sendMessage":
            params = request_data.parameters if request_data else {}
            print(json.dumps({"reply": params.get("text")}), flush=True)
            result = {"message_id": 2, "date": 0, "chat": {"id": 7, "type": "private"},
                      "text": params.get("text")}
        else:
            result = ME
        return 200, json.dumps({"ok": True, "result": result}).encode()

async def echo(update, context):
    await update.message.reply_text(update.message.text)

async def main():
    app = (Application.builder().token("1:bench").request(Memory())
           .get_updates_request(Memory()).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        update = Update.de_json({"update_id": 1, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"},
            "from": {"id": 7, "is_bot": False, "first_name": "Mario"}, "text": "ciao"}},
            app.bot)
        await app.process_update(update)

asyncio.run(main())
'''


def _first_line(args: list[str], env: dict[str, str], stdin: str) -> float:
    """Seconds from starting the process to its first line on stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(stdin)
    process.stdin.flush()
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.stdin.close()
    process.wait(timeout=60)
    if not line.strip():
        raise click.ClickException(f"no answer from {' '.join(args[:4])}")
    return elapsed


@bench_group.command("start")
@click.option("--rounds", default=3, show_default=True, help="Avvii misurati per ciascuno.")
@click.option("--json", "as_json", is_flag=True, help="Le cifre in JSON.")
def bench_start_command(rounds: int, as_json: bool) -> None:
    """Da processo nuovo alla prima risposta: `medbot chat --jsonl` contro un'applicazione
    python-telegram-bot spoglia (un gestore eco, Bot API in memoria)."""
    home = Path(tempfile.mkdtemp(prefix="medbot-bench-start-"))
    try:
        env = {**os.environ, "MEDBOT_HOME": str(home), "MEDBOT_DATABASE_URL": ""}
        # Both start from compiled bytecode, as an installed program does: the unmeasured
        # first start of each writes it (in the bench's folder, not next to the sources),
        # even where PYTHONDONTWRITEBYTECODE would otherwise recompile medbot at every start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        subprocess.run([sys.executable, "-m", "bot", "db", "init", "--demo"], env=env,
                       check=True, capture_output=True)
        medbot = [sys.executable, "-m", "bot", "chat", "--jsonl"]
        hello = json.dumps({"text": "ciao"}) + "\n"
        # One unmeasured start of each: bytecode, the catalogue's cache file, the OS's cache.
        _first_line(medbot, env, hello)
        _first_line([sys.executable, "-c", _BARE_PTB], env, "")
        ours, bare = [], []
        for _ in range(rounds):  # interleaved, so both see the same machine
            ours.append(_first_line(medbot, env, hello))
            bare.append(_first_line([sys.executable, "-c", _BARE_PTB], env, ""))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    figures = {
        "medbot_chat_jsonl_s": round(statistics.median(ours), 3),
        "medbot_runs_s": [round(x, 3) for x in ours],
        "bare_ptb_s": round(statistics.median(bare), 3),
        "bare_ptb_runs_s": [round(x, 3) for x in bare],
        "ratio": round(statistics.median(ours) / statistics.median(bare), 2),
    }
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"medbot chat --jsonl, prima risposta: {figures['medbot_chat_jsonl_s']} s "
               f"(mediana di {rounds}: {figures['medbot_runs_s']})")
    click.echo(f"applicazione PTB spoglia, prima risposta: {figures['bare_ptb_s']} s "
               f"({figures['bare_ptb_runs_s']})")
    click.echo(f"rapporto {figures['ratio']}x")
