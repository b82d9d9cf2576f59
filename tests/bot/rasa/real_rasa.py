"""A real Rasa 3.6 in front of `medbot rasa-actions`: the example trained (cached by the hash of
rasa/), `rasa run` on a free loopback port, a REST client, and the action server's timings."""

from __future__ import annotations

import hashlib
import os
import re
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.bot.rasa.servers import TOKEN, free_port, stop, wait_until_up

EXAMPLE = Path(__file__).parents[3] / "rasa"
TRAIN_TIMEOUT = 1800.0
START_TIMEOUT = 600.0
TIMING = re.compile(r"rasa (action_\w+) answered in ([\d.]+) ms")


def example_hash() -> str:
    """The example's training inputs (domain, config, data under rasa/), hashed."""
    digest = hashlib.sha256()
    inputs = [EXAMPLE / "domain.yml", EXAMPLE / "config.yml", *EXAMPLE.glob("data/**/*")]
    for path in sorted(p for p in inputs if p.is_file()):
        digest.update(str(path.relative_to(EXAMPLE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def trained_model(venv: Path, cache: Path) -> Path:
    """The example's model, trained once per content of rasa/."""
    name = f"medbot-example-{example_hash()}"
    model = cache / "models" / f"{name}.tar.gz"
    if model.exists():
        return model
    model.parent.mkdir(parents=True, exist_ok=True)
    log = cache / "models" / f"{name}.train.log"
    with log.open("wb") as out:
        done = subprocess.run(
            [str(venv / "bin" / "rasa"), "train", "--data", "data", "--domain", "domain.yml",
             "--config", "config.yml", "--out", str(model.parent), "--fixed-model-name", name],
            cwd=EXAMPLE, stdout=out, stderr=subprocess.STDOUT, timeout=TRAIN_TIMEOUT,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    if done.returncode != 0 or not model.exists():
        raise RuntimeError("rasa train failed:\n" + log.read_text(errors="replace")[-4000:])
    return model


def endpoints_for(actions_url: str, directory: Path) -> Path:
    """The example's endpoints.yml (token header and all), pointed at `actions_url`."""
    text = (EXAMPLE / "endpoints.yml").read_text()
    text = text.replace("http://127.0.0.1:5055/webhook", f"{actions_url}/webhook")
    path = directory / "endpoints.yml"
    path.write_text(text)
    return path


@contextmanager
def rasa_run(venv: Path, model: Path, endpoints: Path,
             home: Path) -> Iterator[str]:
    """`rasa run` with the REST channel on a free loopback port; its base URL."""
    port = free_port()
    log = (home / "rasa-run.log").open("wb")
    env = {**os.environ, "MEDBOT_RASA_ACTIONS_TOKEN": TOKEN, "RASA_TELEMETRY_ENABLED": "false"}
    process = subprocess.Popen(
        [str(venv / "bin" / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints),
         "--credentials", str(EXAMPLE / "credentials.yml"), "--interface", "127.0.0.1",
         "--port", str(port)],
        cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, f"{base}/webhooks/rest/", home / "rasa-run.log", "rasa run",
                      START_TIMEOUT, every=1)
        yield base
    finally:
        stop(process)
        log.close()


@dataclass
class RestUser:
    """One user of the assistant's REST channel; `metadata` goes with every message."""

    base: str
    sender: str
    metadata: dict[str, Any] = field(default_factory=dict)
    last: list[dict[str, Any]] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)

    def send(self, text: str, extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body = {"sender": self.sender, "message": text,
                "metadata": {**self.metadata, **(extra or {})}}
        started = time.perf_counter()
        answer = httpx.post(f"{self.base}/webhooks/rest/webhook", json=body, timeout=120)
        self.round_trips.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
        self.last = answer.json()
        return self.last

    def tap(self, label: str) -> list[dict[str, Any]]:
        """Sends the payload of the one button whose title contains `label`."""
        found = [b for b in self.buttons if label.lower() in b["title"].lower()]
        assert len(found) == 1, (label, [b["title"] for b in self.buttons])
        return self.send(found[0]["payload"])

    def upload(self, url: str, filename: str) -> list[dict[str, Any]]:
        """A file as the example's channel sends it: the intent itself as text ("/..." is not
        read by Rasa's NLU), the address in the metadata."""
        return self.send("/medbot_choice",
                         {"attachment": {"url": url, "filename": filename}})

    @property
    def text(self) -> str:
        return "\n\n".join(m.get("text") or "" for m in self.last)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.last for b in m.get("buttons") or []]

    @property
    def files(self) -> list[dict[str, Any]]:
        return [m["custom"]["medbot"]["file"] for m in self.last
                if "file" in ((m.get("custom") or {}).get("medbot") or {})]


def action_timings(log: Path) -> dict[str, list[float]]:
    """Milliseconds per action, from the action server's log."""
    timings: dict[str, list[float]] = {}
    for match in TIMING.finditer(log.read_text(errors="replace")):
        timings.setdefault(match[1], []).append(float(match[2]))
    return timings


def latency_table(timings: dict[str, list[float]], round_trips: list[float]) -> str:
    rows = [("", "calls", "median ms", "p95 ms", "max ms")]
    for name, values in sorted(timings.items()) + [("REST round trip", round_trips)]:
        ordered = sorted(values)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
        rows.append((name, str(len(values)), f"{statistics.median(values):.0f}", f"{p95:.0f}",
                     f"{ordered[-1]:.0f}"))
    return "\n".join(f"{r[0]:<22}{r[1]:>7}{r[2]:>11}{r[3]:>9}{r[4]:>9}" for r in rows)
