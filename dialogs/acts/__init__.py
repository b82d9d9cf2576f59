"""Dialogue acts: what each message does in the conversation, decided before any step parses
it (an answer, a correction, a question, a command, something new), for every flow and channel."""

from dialogs.acts._classify import Act, Expectation, classify
from dialogs.acts._corrections import Correction, Removal, find_correction, find_removal
from dialogs.acts._layer import PENDING, ActsLayer
from dialogs.acts._phrases import (
    asks_about_cover,
    asks_for_contact,
    asks_for_person,
    asks_for_recap,
    asks_to_go_back,
    asks_why,
    says_send,
    starts_something,
)

__all__ = [
    "PENDING",
    "Act",
    "ActsLayer",
    "Correction",
    "Expectation",
    "Removal",
    "asks_about_cover",
    "asks_for_contact",
    "asks_for_person",
    "asks_for_recap",
    "asks_to_go_back",
    "asks_why",
    "classify",
    "find_correction",
    "find_removal",
    "says_send",
    "starts_something",
]
