"""Drives a conversation the way a customer does: type, tap a button by its label, send a file.

Two drivers with one interface, so every scenario can run in-process (through Conversations)
and through `medbot chat --jsonl` (a real subprocess speaking JSON lines).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.channels.console import CHANNEL, reply_json
from bot.runtime import Runtime
from dialogs.events import Inbound, IncomingFile
from dialogs.matching import normalise
from tests.auxil.sms import FakeSmsGateway, RecordingSms


@dataclass
class Turn:
    """What the bot answered to one event."""

    replies: list[dict[str, Any]]
    state: dict[str, Any]
    request_number: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(r["text"] for r in self.replies)

    @property
    def choices(self) -> list[dict[str, str]]:
        return [c for r in self.replies for c in r["choices"]]

    @property
    def labels(self) -> list[str]:
        return [c["label"] for c in self.choices]

    @property
    def step(self) -> str | None:
        return self.state.get("step")

    @property
    def flow(self) -> str | None:
        return self.state.get("flow")

    def choice_id(self, label: str) -> str:
        """The id of the button whose label contains `label` (case and accents ignored)."""
        wanted = normalise(label)
        found = [c for c in self.choices if wanted == normalise(c["label"])]
        found = found or [c for c in self.choices if wanted in normalise(c["label"])]
        if len(found) != 1:
            raise AssertionError(f"{len(found)} buttons match {label!r}: {self.labels}")
        return found[0]["id"]


@dataclass
class BaseChat:
    history: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn:
        return self.history[-1]

    async def say(self, text: str) -> Turn:
        return await self.send({"text": text})

    async def tap(self, label: str) -> Turn:
        return await self.send({"choice": self.last.choice_id(label)})

    async def choose(self, choice_id: str) -> Turn:
        return await self.send({"choice": choice_id})

    async def upload(self, path: Path) -> Turn:
        return await self.send({"file": str(path)})

    async def send(self, event: dict[str, Any]) -> Turn:
        turn = await self._send(event)
        self.history.append(turn)
        return turn

    async def _send(self, event: dict[str, Any]) -> Turn:
        raise NotImplementedError


@dataclass
class EngineChat(BaseChat):
    """In-process: the same Conversations the channels use, on a real store."""

    runtime: Runtime | None = None
    customer_id: int = 0
    user_key: str = "test"
    sms: RecordingSms | None = None

    def sms_code(self) -> str:
        assert self.sms is not None
        return self.sms.last_code()

    async def _send(self, event: dict[str, Any]) -> Turn:
        assert self.runtime is not None
        ((key, value),) = event.items()
        if key == "file":
            path = Path(value)
            inbound = Inbound(file=IncomingFile(path.read_bytes(), path.name))
        elif key == "location":
            inbound = Inbound(location=(value[0], value[1]))
        else:
            inbound = Inbound(**{key: value})
        result = await self.runtime.conversations.handle(CHANNEL, self.user_key,
                                                         self.customer_id, inbound)
        downloads = self.runtime.settings.home / "downloads"
        replies = [reply_json(r, downloads) for r in result.replies]
        return Turn(replies, {"flow": result.flow, "step": result.step}, result.request_number)


class JsonlChat(BaseChat):
    """`medbot chat --jsonl` in a subprocess: one JSON line in, exactly one JSON line out."""

    def __init__(self, env: dict[str, str], customer: str | None = None,
                 gateway: FakeSmsGateway | None = None) -> None:
        super().__init__()
        self.gateway = gateway
        args = [sys.executable, "-m", "bot", "chat", "--jsonl"]
        if customer:
            args += ["--customer", customer]
        self.process = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", env={**os.environ, **env},
        )

    async def _send(self, event: dict[str, Any]) -> Turn:
        return self.send_raw(json.dumps(event, ensure_ascii=False))

    def sms_code(self) -> str:
        assert self.gateway is not None
        return self.gateway.last_code()

    def send_raw(self, line: str) -> Turn:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        out = self.process.stdout.readline()
        if not out:
            raise AssertionError(f"medbot chat exited: {self.close()}")
        data = json.loads(out)
        return Turn(data["replies"], data["state"], data.get("request_number"))

    def close(self) -> str:
        """Ends the process; its standard error, for failure messages."""
        if self.process.returncode is not None:
            return ""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
            self.process.stdin = None
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err
