"""Intents and entities of chat messages: parse('a che punto è la pratica 26000112?', today)."""

from nlu.intents._parse import INTENTS, STATUSES, Parsed, parse
from nlu.intents._score import Score, score

__all__ = ["INTENTS", "STATUSES", "Parsed", "Score", "parse", "score"]
