"""What a message does in the conversation, decided before any step parses it: answers the
pending question, corrects an earlier answer, asks something, gives a command, starts something
new, or needs a short clarifying question. Pure: words, the pending question and confidence."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

from dialogs.acts._corrections import Correction, find_correction, find_removal
from dialogs.acts._phrases import (
    asks_about_cover,
    asks_another,
    asks_for_contact,
    asks_for_person,
    asks_for_recap,
    asks_to_go_back,
    asks_why,
    says_send,
    starts_something,
)
from dialogs.matching import normalise, yes_or_no
from nlu.dates import parse_date_detail
from nlu.intents import Parsed, parse
from nlu.money import AmountError, parse_amount

__all__ = ["Act", "Expectation", "classify"]

# Confidence lines of nlu.intents.parse: at or above ACT_LINE the message is acted upon; between
# CLARIFY_LINE and ACT_LINE the bot asks a short question instead of guessing.
ACT_LINE = 0.8
CLARIFY_LINE = 0.55
# Intents that open a flow, and the flow each opens.
START_INTENTS = {"reimbursement": "rimborso", "direct_service": "diretta",
                 "find_facility": "diretta"}
_MONTHS = {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"}
# Intents that are commands when said plainly ("basta, lascia stare").
_COMMAND_INTENTS = ("cancel", "help")
# Below the line of acting, an opening is still worth the question "leave this request?".
START_LINE = 0.3
# Entities that say which request a question is about.
_REQUEST_ENTITIES = ("person", "relation", "request_id", "status")
# What an opening sentence says besides its intent: each answers a question of the flow.
_OPENING_ENTITIES = ("person", "relation", "service", "date", "amount")
# Field kinds whose answer is a bare value (a number, an amount, a day).
_VALUE_KINDS = {"number", "amount", "date", "year", "iban", "email"}
# Words that name a person of the household besides first names.
_RELATIONS = {"io", "me", "moglie", "marito", "figlio", "figlia", "coniuge", "stesso", "stessa"}
# Markers after which the rest of the message is the answer itself ("anzi 90", "scusa, il 3").
# The old value, said after the new one ("era per Luca, non per Marco").
_NOT_THE_OLD = re.compile(r"[\s,]+(?:e )?(?:non|anziche|invece di|al posto di)\b.*$")
# A bare value that names whom the money goes to ("a me", "ad Anna", "sul mio conto",
# "mandalo a me", "intestato a Luca").
_TO_SOMEONE = re.compile(r"\b(?:a|ad|al|alla|all|sul|sulla)\s+(.+)$")
_RESTATING = {"anzi", "scusa", "scusami", "volevo dire", "intendevo", "in realta", "pardon",
              "ops", "oops", "no aspetta", "aspetta"}


@dataclass(frozen=True, slots=True)
class Expectation:
    """The pending question as the acts layer sees it."""

    flow: str
    step: str
    today: date
    # The field kind the pending step parses ("amount", "date", ...), if any is declared.
    kind: str | None = None
    # Field kinds declared by the flow, and those with an answer that can be corrected.
    fields: frozenset[str] = frozenset()
    answered: frozenset[str] = frozenset()
    # The step takes any text (a note): only unmistakable acts are taken from it.
    free_text: bool = False
    at_summary: bool = False
    people: tuple[str, ...] = ()
    # Field kinds the pending question takes corrections of itself (a receipt's reading).
    own: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Act:
    """kind: answer | correction | removal | question | command | new_intent | clarify."""

    kind: str
    # answer: the text the step parses, and an option key already read in it ("send").
    text: str | None = None
    option: str | None = None
    # correction and removal: the field kind, the item (1-based, -1 the last), the new value.
    field: str | None = None
    item: int | None = None
    value: str | None = None
    noun: str = ""
    # question, command, new_intent, clarify: what is asked ("status", "human", a flow name).
    intent: str | None = None
    parsed: Parsed | None = None
    confidence: float = 1.0


def classify(text: str, expect: Expectation) -> Act:
    """What `text`, typed while `expect` is pending, does."""
    parsed = parse(text, expect.today, expect.people)
    if expect.at_summary:
        if says_send(text):
            return Act("answer", text=text, option="send")
        removal = find_removal(text)
        if removal is not None:
            return Act("removal", item=removal.item, noun=removal.noun)
    if asks_for_person(text):
        return Act("command", intent="human", parsed=parsed)
    if asks_to_go_back(text):
        return Act("command", intent="back", parsed=parsed)
    if parsed.intent in ("human", "complaint") and parsed.confidence >= ACT_LINE:
        return Act("command", intent=parsed.intent, parsed=parsed,
                   confidence=parsed.confidence)
    if (parsed.intent in _COMMAND_INTENTS and parsed.confidence >= ACT_LINE
            and not expect.free_text and yes_or_no(text) is None
            and len(normalise(text).split()) <= 6):
        return Act("command", intent=parsed.intent, parsed=parsed)
    correction = find_correction(text)
    if correction is not None:
        act = _correction_act(text, correction, expect)
        if act is not None:
            return act
    if not expect.at_summary:
        removal = find_removal(text)
        if removal is not None and removal.item is not None:
            return Act("removal", item=removal.item, noun=removal.noun)
    if asks_for_contact(text) or (parsed.intent == "contact" and parsed.confidence >= ACT_LINE
                                  and not _about_the_number_asked(text, expect)):
        return Act("question", intent="contact")
    if asks_for_recap(text):
        return Act("question", intent="recap")
    if parsed.intent == "coverage" and parsed.confidence >= ACT_LINE and (
            not expect.free_text or "?" in text):
        # "quanto mi rimborsate?", "è coperta la fisioterapia?", "che documenti servono?"
        return Act("question", intent="cover", parsed=parsed, confidence=parsed.confidence)
    if asks_about_cover(text) and not expect.free_text:
        return Act("question", intent="cover", parsed=parsed)
    if asks_why(text) and ("?" in text or not expect.free_text):
        return Act("question", intent="why")
    if parsed.intent == "status" and not _is_a_value(text, expect):
        # A question that names whose or which request it is about is sure enough.
        named = "?" in text and any(parsed.entities.get(k) for k in _REQUEST_ENTITIES)
        if parsed.confidence >= ACT_LINE or named and parsed.confidence >= CLARIFY_LINE:
            return Act("question", intent="status", parsed=parsed, confidence=parsed.confidence)
        if parsed.confidence >= CLARIFY_LINE and "?" in text and not expect.free_text:
            return Act("clarify", text=text, intent="status", parsed=parsed,
                       confidence=parsed.confidence)
    flow = START_INTENTS.get(parsed.intent)
    if _opens_again(parsed, flow, expect):
        # Nothing answered yet and the message tells the whole request ("rimborso visita
        # dermatologica del 12 novembre per Marco"): read it as the opening it is.
        return Act("new_intent", text=text, intent=expect.flow, parsed=parsed, option="fresh",
                   confidence=parsed.confidence)
    if (flow is not None and starts_something(text)
            and (flow != expect.flow or asks_another(text))
            and (parsed.confidence >= START_LINE or asks_another(text))):
        # Never acted upon blindly: the draft's fate is confirmed first.
        return Act("new_intent", text=text, intent=flow, parsed=parsed,
                   confidence=parsed.confidence)
    marker = _restating(text)
    if marker and not expect.free_text:
        rest = _after_marker(text, marker)
        if rest:
            return Act("answer", text=rest)  # "anzi 90" at the amount: 90
    return Act("answer", text=text)


def _about_the_number_asked(text: str, expect: Expectation) -> bool:
    """"non c'è il numero", "il numero non lo trovo" where a document's number is asked: about
    that number, not a question about how to reach the insurer."""
    return expect.kind == "number" and "?" not in text


def _opens_again(parsed: Parsed, flow: str | None, expect: Expectation) -> bool:
    """Whether a message typed before any answer says several things an opening says (who,
    what, when, how much), of this flow or of none."""
    if expect.answered or expect.free_text or expect.at_summary:
        return False
    if flow != expect.flow and not (flow is None and parsed.intent == "unknown"):
        return False
    said = sum(1 for key in _OPENING_ENTITIES if parsed.entities.get(key))
    return said >= 2 and parsed.confidence >= CLARIFY_LINE


def _is_a_value(text: str, expect: Expectation) -> bool:
    """A status-like message that is more likely the value asked: a bare number where a
    document number is asked ("26000112"), a statement where a note is asked ("ho pagato...")."""
    if "?" in text:
        return False
    if expect.free_text:
        return True
    return expect.kind in _VALUE_KINDS and len(normalise(text).split()) < 2


def _correction_act(text: str, correction: Correction, expect: Expectation) -> Act | None:
    to_someone = _money_goes_to(text, expect) if correction.field is None else None
    if to_someone is not None:
        # "no, a me", "anzi mandalo ad Anna": who receives the money, never whose service it
        # was ("era per Luca"); the payee's own question reads the words.
        if "payee" not in expect.fields:
            return None
        correction = dataclasses.replace(correction, field="payee", value=to_someone)
    kind = correction.field or _kind_of_value(correction.value, expect)
    if kind is None:
        return None
    if kind in expect.own and correction.item is None and not expect.at_summary:
        return Act("answer", text=text)  # "l'importo è 95" where a receipt's reading is shown
    if kind != "notes" and correction.value:
        # "era per Luca, non per Marco", "90 euro, non 30": the new value, not the old one.
        value = _NOT_THE_OLD.sub("", correction.value).strip(" ,.;") or correction.value
        correction = dataclasses.replace(correction, value=value)
    if kind == "person" and correction.field == "person" and not _names_person(
            correction.value, expect):
        return None
    if kind not in expect.fields:
        return None
    if kind == expect.kind and correction.item is None and not expect.at_summary:
        return Act("answer", text=correction.value or text)
    if kind not in expect.answered and correction.item is None:
        return None
    if expect.free_text and not correction.explicit:
        # "anzi era per Luca" where a note is asked: ask rather than store it as the note.
        if not correction.marked:
            return None
        return Act("clarify", text=text, intent="correction", field=kind,
                   item=correction.item, value=correction.value)
    return Act("correction", field=kind, item=correction.item, value=correction.value)


def _money_goes_to(text: str, expect: Expectation) -> str | None:
    """The words that say whom the money goes to ("a me", "sul mio conto", "ad Anna"), if the
    message says it."""
    found = _TO_SOMEONE.search(normalise(text))
    if found is None:
        return None
    whom = found[1]
    if _names_person(whom, expect) or {"conto", "nome", "lui", "lei"} & set(whom.split()):
        return found[0]
    return None


def _kind_of_value(value: str | None, expect: Expectation) -> str | None:
    """The field a bare corrected value belongs to: a person, an amount in euro, a full date."""
    if not value:
        return None
    if _names_person(value, expect):
        return "person"
    words = normalise(value)
    if "euro" in words.split() or "€" in value:
        try:
            parse_amount(value)
            return "amount"
        except AmountError:
            return None
    reading = parse_date_detail(value, expect.today, prefer="past")
    if reading is not None and (reading.literal or "/" in value
                                or set(words.split()) & _MONTHS):
        return "date"
    return None


def _names_person(value: str | None, expect: Expectation) -> bool:
    if not value:
        return False
    words = set(normalise(value).split())
    names = {normalise(p) for p in expect.people}
    return bool(words & names or words & _RELATIONS) and len(words) <= 5


def _after_marker(text: str, marker: str) -> str:
    """The text after its opening marker, as typed ("anzi, 90,50" -> "90,50")."""
    words = len(marker.split())
    parts = re.split(r"[\s,.;:!]+", text.strip(), maxsplit=words)
    return parts[words].strip(" ,.;:!") if len(parts) > words else ""


def _restating(text: str) -> str:
    words = normalise(text)
    return next((m for m in _RESTATING if words == m or words.startswith(m + " ")), "")
