"""Plays the Rasa server: builds the /webhook bodies Rasa 3.x sends and keeps the tracker."""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from ruamel.yaml import YAML

from bot.channels.rasa import CUSTOMER_KEY, sign_customer
from dialogs.matching import normalise
from tests.bot.rasa.servers import LINK_SECRET

RASA_VERSION = "3.6.21"
DOMAIN_FILE = Path(__file__).parents[3] / "rasa" / "domain.yml"


def domain() -> dict[str, Any]:
    """The example assistant's domain, as Rasa sends it with every action call."""
    return YAML(typ="safe").load(DOMAIN_FILE.read_text())


def webhook_body(sender_id: str, next_action: str, latest: dict[str, Any],
                 events: list[dict[str, Any]], slots: dict[str, Any]) -> dict[str, Any]:
    """One action call: tracker (latest_message, events, slots), domain and next_action."""
    return {
        "next_action": next_action,
        "sender_id": sender_id,
        "version": RASA_VERSION,
        "domain": domain(),
        "tracker": {
            "sender_id": sender_id,
            "slots": slots,
            "latest_message": latest,
            "latest_event_time": time.time(),
            "followup_action": None,
            "paused": False,
            "events": events,
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


def signed(sender_id: str, fiscal_code: str, valid_for: float = 600.0,
           secret: str = LINK_SECRET) -> dict[str, Any]:
    """Metadata naming the customer, signed as the assistant's channel signs it."""
    expires = int(time.time() + valid_for)
    return {CUSTOMER_KEY: sign_customer(secret, sender_id, fiscal_code, expires)}


def user_message(text: str | None, intent: str = "medbot_request",
                 entities: list[dict[str, Any]] | None = None,
                 metadata: dict[str, Any] | None = None,
                 message_id: str | None = None) -> dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 0.97},
            "entities": entities or [], "metadata": metadata or {},
            "message_id": message_id or f"m{time.monotonic_ns()}"}


@dataclass
class RasaUser:
    """One sender of the assistant; every call appends what Rasa would to the tracker."""

    client: httpx.Client
    sender_id: str
    slots: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    last: dict[str, Any] = field(default_factory=dict)
    _latest: dict[str, Any] = field(default_factory=dict)

    def call(self, text: str | None, action: str = "action_medbot", *,
             intent: str = "medbot_request", entities: list[dict[str, Any]] | None = None,
             metadata: dict[str, Any] | None = None, deflate: bool = False,
             again: bool = False) -> dict[str, Any]:
        """One action call for a new user message (`again`: the same message as the previous
        call, as when Rasa predicts the action twice)."""
        if again:
            return self._call_again(action, deflate)
        latest = user_message(text, intent, entities, metadata)
        self.events += [{"event": "action", "name": "action_listen", "timestamp": time.time()},
                        {"event": "user", "text": text, "parse_data": latest,
                         "metadata": latest["metadata"], "timestamp": time.time()}]
        self._latest = latest
        return self._post(action, deflate)

    def _call_again(self, action: str, deflate: bool) -> dict[str, Any]:
        self.events.append({"event": "action", "name": "action_listen", "timestamp": time.time()})
        return self._post(action, deflate)

    def _post(self, action: str, deflate: bool) -> dict[str, Any]:
        body = webhook_body(self.sender_id, action, self._latest, self.events, dict(self.slots))
        response = post(self.client, body, deflate=deflate)
        assert response.status_code == 200, response.text
        self.last = response.json()
        self.events.append({"event": "action", "name": action, "timestamp": time.time()})
        for message in self.last["responses"]:
            self.events.append({"event": "bot", "text": message["text"], "timestamp": time.time(),
                                "data": {"buttons": message["buttons"],
                                         "custom": message["custom"]}})
        for event in self.last["events"]:
            self.events.append(event)
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
        return self.last

    def say(self, text: str, **kwargs: Any) -> dict[str, Any]:
        return self.call(text, **kwargs)

    def tap(self, label: str) -> dict[str, Any]:
        """The payload of the button whose label contains `label`, sent as Rasa sends it."""
        buttons = [b for m in self.last["responses"] for b in m["buttons"]]
        wanted = normalise(label)
        found = ([b for b in buttons if wanted == normalise(b["title"])]
                 or [b for b in buttons if wanted in normalise(b["title"])])
        assert len(found) == 1, (label, [b["title"] for b in buttons])
        return self.call(found[0]["payload"], intent="medbot_choice")

    def upload(self, url: str, filename: str) -> dict[str, Any]:
        return self.call(None, metadata={"attachment": {"url": url, "filename": filename}})

    @property
    def text(self) -> str:
        return "\n\n".join(m["text"] or "" for m in self.last["responses"])

    @property
    def state(self) -> tuple[Any, Any]:
        return self.slots.get("medbot_flow"), self.slots.get("medbot_step")


def post(client: httpx.Client, body: dict[str, Any], deflate: bool = False) -> httpx.Response:
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if deflate:
        data = zlib.compress(data)
        headers["Content-Encoding"] = "deflate"
    return client.post("/webhook", content=data, headers=headers)


def only_reached(result: dict[str, Any]) -> bool:
    """The call changed no slot but `medbot_reached`: the conversation stayed where it was."""
    return [(e["name"], e["value"]) for e in result["events"]] == [("medbot_reached", True)]
