"""The conversation state: plain JSON, versioned, saved after every turn."""

from __future__ import annotations

import copy
import marshal
import uuid
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

# Bump when the shape changes; `from_json` upgrades older shapes.
STATE_SCHEMA = 1


@dataclass(slots=True)
class State:
    """Where a conversation is.

    The current question is not stored: it is the first applicable step of the flow without an
    answer, so going back, editing from the summary and resuming after a restart all fall out of
    `answers`. `token` numbers the questions asked, so a stale button is recognised.
    """

    flow: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    # Previous answers of questions reopened by "indietro" or an edit, offered as the default.
    defaults: dict[str, Any] = field(default_factory=dict)
    # Steps answered by the customer, in order, for "indietro".
    trail: list[str] = field(default_factory=list)
    # Steps answered for the customer because there was nothing to choose.
    implied: list[str] = field(default_factory=list)
    token: int = 0
    asked: str | None = None  # the step whose question carries `token`
    failures: int = 0
    pending: str | None = None  # a yes/no asked across flows, e.g. "cancel"
    draft_id: str | None = None
    # The request whose detail the archive shows, for its document buttons.
    shown: str | None = None
    # What the opening sentence said for questions not reached yet: step name -> text.
    prefill: dict[str, str] = field(default_factory=dict)
    # What a confirmation of the acts layer is about (pending "switch" or "clarify"): leave the
    # draft for a new request, a question or a correction the customer may be asking.
    held: dict[str, Any] = field(default_factory=dict)
    # The language the conversation is in ("it", "en"): chosen from the customer's messages
    # or asked for, kept when a request ends or starts over.
    language: str = "it"
    schema: int = STATE_SCHEMA

    def start(self, flow: str) -> None:
        self.flow = flow
        self.answers = {}
        self.defaults = {}
        self.trail = []
        self.implied = []
        self.prefill = {}
        self.failures = 0
        self.pending = None
        self.held = {}
        self.draft_id = uuid.uuid4().hex

    def reset(self) -> None:
        token = self.token
        self.start("")
        self.flow = None
        self.draft_id = None
        self.token = token

    def to_json(self) -> dict[str, Any]:
        # What asdict gives, without its generic walk: the state is copied twice a turn.
        return _copied({f.name: getattr(self, f.name) for f in _FIELDS})

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> State:
        if not data:
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["schema"] = STATE_SCHEMA
        return cls(**known)


_FIELDS = fields(State)
_ATOMS = (str, int, float, bool, type(None))
# marshal's format 2 copies plain dicts, lists, tuples, strings and numbers in C, about three
# times faster than walking them, and refuses anything else (a dataclass, a date, a subclass
# such as an enum); unlike format 3 it shares no sub-object between two places of the copy.
_MARSHAL_FORMAT = 2


def _copied(value: Any) -> Any:
    """A deep copy of a JSON-like value, nested dataclasses as dicts (as dataclasses.asdict)."""
    try:
        return marshal.loads(marshal.dumps(value, _MARSHAL_FORMAT))
    except ValueError:
        return _walked(value)


def _walked(value: Any) -> Any:
    """`_copied` for a value marshal refuses: its parts copied one by one."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict:
        return {_copied(k): _copied(v) for k, v in value.items()}
    if kind is list:
        return [_copied(v) for v in value]
    if kind is tuple:
        return tuple(_copied(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return copy.deepcopy(value)
