"""The rasa/ example's shape, checked without Rasa (`make test-rasa` runs it for real): each
message has one rule and one medbot call, nothing loops, the token reaches the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXAMPLE = Path(__file__).parents[3] / "rasa"
MEDBOT_ACTIONS = {"action_medbot", "action_medbot_status"}


def _yaml(name: str) -> Any:
    return YAML(typ="safe").load((EXAMPLE / name).read_text())


def test_no_slot_makes_rasa_call_medbot_on_its_own() -> None:
    """A slot mapped with `action: action_medbot` has Rasa call medbot on every message."""
    for name, slot in _yaml("domain.yml")["slots"].items():
        for mapping in slot.get("mappings") or []:
            assert mapping.get("action") not in MEDBOT_ACTIONS, name


def test_reached_is_reset_by_every_user_message() -> None:
    slot = _yaml("domain.yml")["slots"]["medbot_reached"]
    assert {"type": "from_intent", "value": False} in slot["mappings"]
    assert {"type": "custom"} in slot["mappings"]


def _intents(step: dict[str, Any]) -> list[str]:
    if "intent" in step:
        return [step["intent"]]
    return [i["intent"] for i in step.get("or") or []]


def _flow_condition(rule: dict[str, Any]) -> str:
    for condition in rule.get("condition") or []:
        for slot in condition.get("slot_was_set") or []:
            if "medbot_flow" in slot:
                return "closed" if slot["medbot_flow"] is None else "open"
    return "any"


def test_every_message_has_exactly_one_rule_with_one_medbot_action() -> None:
    intents = set(_yaml("domain.yml")["intents"]) | {"nlu_fallback"}
    rules = _yaml("data/rules.yml")["rules"]
    covered: dict[str, list[str]] = {"open": [], "closed": []}
    for rule in rules:
        steps = rule["steps"]
        first = _intents(steps[0])
        if not first:
            continue
        calls = [s["action"] for s in steps if s.get("action") in MEDBOT_ACTIONS]
        assert len(calls) == 1, rule["rule"]
        condition = _flow_condition(rule)
        assert condition != "any", rule["rule"]
        covered[condition] += first
    for state, seen in covered.items():
        assert sorted(seen) == sorted(intents), state


def test_after_each_medbot_action_rasa_says_whether_it_answered() -> None:
    rules = _yaml("data/rules.yml")["rules"]
    unreachable = {r["steps"][0]["action"] for r in rules
                   if r["steps"][-1] == {"action": "utter_medbot_unreachable"}}
    assert unreachable == MEDBOT_ACTIONS
    assert "utter_medbot_unreachable" in _yaml("domain.yml")["responses"]


def test_core_fallback_cannot_loop() -> None:
    policy = next(p for p in _yaml("config.yml")["policies"] if p["name"] == "RulePolicy")
    assert policy["core_fallback_action_name"] == "action_default_fallback"
    assert "utter_default" in _yaml("domain.yml")["responses"]


def test_endpoint_sends_the_token_in_a_value_rasa_expands() -> None:
    """Rasa expands ${VARIABLES} in plain YAML scalars only: a quoted one is sent verbatim."""
    headers = _yaml("endpoints.yml")["action_endpoint"]["headers"]
    assert headers["Authorization"] == "Bearer ${MEDBOT_RASA_ACTIONS_TOKEN}"
    line = next(line for line in (EXAMPLE / "endpoints.yml").read_text().splitlines()
                if "Authorization:" in line)
    assert line.split(":", 1)[1].strip().startswith("Bearer")
