"""End to end with a real Rasa 3.6 (`make test-rasa`): the example assistant trained by Rasa,
`rasa run` with the REST channel in front of `medbot rasa-actions`, conversations as a
customer's app sends them. Skipped unless MEDBOT_RASA_VENV names a virtualenv with Rasa."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.channels.rasa import CUSTOMER_KEY
from tests.auxil import files
from tests.auxil.runtime import MARIO, demo_home, settings_env
from tests.bot.rasa.real_rasa import (
    TIMING,
    RestUser,
    action_timings,
    endpoints_for,
    latency_table,
    rasa_run,
    trained_model,
)
from tests.bot.rasa.servers import (
    FileServer,
    actions_env,
    file_server,
    free_port,
    rasa_actions,
)
from tests.bot.rasa.tracker import signed

VENV = os.environ.get("MEDBOT_RASA_VENV")
CACHE = Path(os.environ.get("MEDBOT_RASA_CACHE", Path.home() / ".cache" / "medbot-rasa"))
pytestmark = pytest.mark.skipif(not VENV, reason="needs Rasa 3.6: run `make test-rasa`")


@dataclass
class Stack:
    """Rasa, the action server (which a test may stop and start again) and the file host."""

    rasa: str
    files: FileServer
    home: Path
    restart_actions: Callable[[], None]
    stop_actions: Callable[[], None]
    users: list[RestUser] = field(default_factory=list)

    def calls(self) -> int:
        """Action calls answered so far (one log line each, in each action server's log)."""
        return sum(len(TIMING.findall(log.read_text(errors="replace")))
                   for log in self.home.glob("rasa-actions*.log"))

    def say(self, user: RestUser, text: str) -> str:
        """Sends `text`, checks medbot was called exactly once for it; the reply's text."""
        before = self.calls()
        user.send(text)
        assert self.calls() - before == 1, (text, user.text)
        return user.text

    def tap(self, user: RestUser, label: str) -> str:
        before = self.calls()
        user.tap(label)
        assert self.calls() - before == 1, (label, user.text)
        return user.text

    def user(self, sender: str, metadata: dict[str, Any] | None = None) -> RestUser:
        """A user of the REST channel: by default Mario, vouched for with signed metadata."""
        user = RestUser(self.rasa, sender,
                        signed(sender, MARIO, valid_for=3600) if metadata is None else metadata)
        self.users.append(user)
        return user


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert VENV is not None
    venv = Path(VENV)
    model = trained_model(venv, CACHE)
    home = tmp_path_factory.mktemp("real-rasa") / "home"
    shutil.copytree(asyncio.run(demo_home()), home)
    with ExitStack() as stack, file_server() as served:
        port = free_port()
        env = actions_env(home, settings_env(home), [served.base.removeprefix("http://")])
        running: list[ExitStack] = []

        def start_actions() -> None:
            inner = ExitStack()
            inner.enter_context(rasa_actions(home, env, port=port,
                                             log_name=f"rasa-actions-{len(running)}.log"))
            running.append(inner)

        def stop_actions() -> None:
            running[-1].close()

        start_actions()
        stack.callback(lambda: running[-1].close())
        endpoints = endpoints_for(f"http://127.0.0.1:{port}", home)
        rasa = stack.enter_context(rasa_run(venv, model, endpoints, home))
        result = Stack(rasa, served, home, start_actions, stop_actions)
        yield result
        timings: dict[str, list[float]] = {}
        for log in sorted(home.glob("rasa-actions*.log")):
            for name, values in action_timings(log).items():
                timings.setdefault(name, []).extend(values)
        trips = [t for u in result.users for t in u.round_trips]
        print(f"\nRasa 3.6 + medbot rasa-actions: {sum(map(len, timings.values()))} action "
              f"calls, {len(trips)} messages\n" + latency_table(timings, trips))


def test_greeting_gets_medbots_menu_once(stack: Stack) -> None:
    user = stack.user("rest-greeting")
    stack.say(user, "ciao")
    assert user.buttons and all(len(b["payload"]) <= 64 for b in user.buttons)
    # With no request open, more small talk neither loops nor goes silent.
    for text in ("buongiorno", "sì", "no grazie", "boh"):
        assert stack.say(user, text)


def test_status_questions(stack: Stack) -> None:
    user = stack.user("rest-status")
    assert "26000112" in stack.say(user, "a che punto è la pratica 26000112?")
    # medbot's own reading ("pagato" asked of a request that was refused) beats a bare list.
    answer = stack.say(user, "è stato pagato il rimborso di Luca?")
    assert answer.startswith("No") and "respint" in answer
    stack.say(user, "le mie richieste")
    assert [b for b in user.buttons if b["payload"] == "pratica 25000047"]
    stack.tap(user, "25000047")
    assert "25000047" in user.text
    documents = [b for b in user.buttons if b["payload"].startswith("documento ")]
    assert documents and "Tocca un documento" in user.text
    stack.tap(user, documents[0]["title"])
    assert user.files and user.files[0]["data_base64"]
    stack.say(user, "pratica 25000047")
    stack.tap(user, "elenco")
    assert [b for b in user.buttons if b["payload"] == "pratica 26000112"]


def test_whole_reimbursement_with_a_receipt_attachment(stack: Stack) -> None:
    stack.files.files["ricevuta-rest.png"] = files.png("Ricevuta REST 9")
    user = stack.user("rest-reimbursement")
    stack.say(user, "vorrei un rimborso")
    for answer in ("quest'anno", "io", "visita cardiologica", "la prima"):
        stack.say(user, answer)
    stack.tap(user, "Salute Più")
    stack.tap(user, "Sì, continua")
    before = stack.calls()
    user.upload(f"{stack.files.base}/ricevuta-rest.png", "ricevuta-rest.png")
    assert stack.calls() - before == 1
    for answer in ("20/11/2026", "85,00", "7"):
        stack.say(user, answer)
    stack.tap(user, "Continua")
    stack.tap(user, "Nessuna nota")
    stack.tap(user, "Invia")
    numbers = sorted(set(re.findall(r"\b26\d{6}\b", user.text)))
    assert numbers, user.text
    number = numbers[-1]
    # The request is over: a status question now goes to the archive, and it knows it.
    assert number in stack.say(user, f"a che punto è la pratica {number}?")
    assert stack.say(user, "grazie")


def test_a_claimed_customer_in_plain_metadata_is_refused(stack: Stack) -> None:
    user = stack.user("rest-intruder", {CUSTOMER_KEY: MARIO})
    assert "Area Clienti" in stack.say(user, "le mie richieste")
    assert "Area Clienti" in stack.say(user, "vorrei un rimborso")


def test_action_server_down_gets_a_fallback_message_then_resumes(stack: Stack) -> None:
    user = stack.user("rest-outage")
    stack.say(user, "vorrei un rimborso")
    stack.say(user, "quest'anno")
    stack.stop_actions()
    try:
        for text in ("io", "le mie richieste"):
            user.send(text)
            assert "non riesco a raggiungere" in user.text
    finally:
        stack.restart_actions()
    # Nothing was lost: medbot asks again who the service is for.
    assert stack.say(user, "io")


def test_action_server_logs_name_no_customer(stack: Stack) -> None:
    """Run last: after every conversation above, the action server's logs hold no codice
    fiscale, name of the household or document name."""
    logs = "\n".join(log.read_text(errors="replace")
                     for log in stack.home.glob("rasa-actions*.log"))
    assert TIMING.search(logs)
    for secret in (MARIO, "Rossi", "Luca", "ricevuta-rest"):
        assert secret not in logs
