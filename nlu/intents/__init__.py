"""Intents and entities of chat messages: parse('a che punto è la pratica 26000112?', today)."""

from nlu.intents._parse import INTENTS, STATUSES, Parsed, parse

__all__ = ["INTENTS", "STATUSES", "Parsed", "parse"]
