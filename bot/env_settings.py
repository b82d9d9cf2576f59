"""Typed settings read from the environment and a .env file, with the standard library only.

medbot's settings were a pydantic-settings model: importing pydantic and pydantic-settings
(which also scans every installed package's entry points for plugins) took more than
everything else `medbot chat` does before its first answer (issue 14). The settings are
simple values, so they are read here the way pydantic-settings read them: a value passed to
the constructor first, then the variable PREFIX + NAME (any case), then the same in `.env`
in the working directory, then the default; each converted to its declared type.
"""

from __future__ import annotations

import json
import os
import typing
from datetime import date, time
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, ClassVar, Literal

__all__ = ["EnvSettings", "SecretStr"]

_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


class SecretStr:
    """A secret that stays out of reprs and logs: `get_secret_value()` gives it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "SecretStr('**********')" if self._value else "SecretStr('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""


class EnvSettings:
    """Declare fields as annotated class attributes with defaults; `env_prefix` names them
    in the environment. Unknown names are ignored, in the environment and as arguments."""

    env_prefix: ClassVar[str] = ""
    env_file: ClassVar[str] = ".env"
    _field_types: ClassVar[dict[str, Any]]

    def __init__(self, **values: Any) -> None:
        environment = _environment(self.env_prefix, self.env_file)
        for name, kind in self.fields().items():
            if name in values:
                value = _convert(values[name], kind, name)
            elif name in environment:
                value = _convert(environment[name], kind, f"{self.env_prefix}{name.upper()}")
            else:
                default = getattr(type(self), name)
                value = default.copy() if isinstance(default, dict | list) else default
            setattr(self, name, value)

    @classmethod
    def fields(cls) -> dict[str, Any]:
        """Each setting's name and type, in declaration order."""
        if "_field_types" not in cls.__dict__:
            hints = typing.get_type_hints(cls)
            cls._field_types = {name: kind for name, kind in hints.items()
                                if not name.startswith("_")
                                and typing.get_origin(kind) is not ClassVar}
        return cls._field_types

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.fields())
        return f"{type(self).__name__}({shown})"


def _environment(prefix: str, env_file: str) -> dict[str, str]:
    """The prefixed variables, by lower-case name without the prefix: the process's
    environment over the .env file's."""
    found: dict[str, str] = {}
    dotenv = Path(env_file)
    if dotenv.is_file():
        # Only when there is a file: python-dotenv (pydantic-settings' reader) is not
        # imported for nothing.
        from dotenv import dotenv_values

        for key, value in dotenv_values(dotenv).items():
            if value is not None and key.lower().startswith(prefix.lower()):
                found[key.lower().removeprefix(prefix.lower())] = value
    for key, value in os.environ.items():
        if key.lower().startswith(prefix.lower()):
            found[key.lower().removeprefix(prefix.lower())] = value
    return found


def _convert(value: Any, kind: Any, name: str) -> Any:
    """`value` as `kind` (a class, X | None, Literal[...] or dict[str, X]); ValueError names
    the setting when it is not one."""
    origin = typing.get_origin(kind)
    if origin in (UnionType, typing.Union):
        options = [option for option in typing.get_args(kind) if option is not NoneType]
        if value is None:
            return None
        (kind,) = options
        origin = typing.get_origin(kind)
    try:
        if origin is Literal:
            if value not in typing.get_args(kind):
                raise ValueError(f"one of {', '.join(map(str, typing.get_args(kind)))}")
            return value
        if origin is dict:
            _, item = typing.get_args(kind)
            pairs = json.loads(value) if isinstance(value, str) else value
            if not isinstance(pairs, dict):
                raise ValueError("a JSON object")
            return {str(key): _scalar(item_value, item) for key, item_value in pairs.items()}
        return _scalar(value, kind)
    except (TypeError, ValueError) as error:
        raise ValueError(f"setting {name}: {value!r} is not valid ({error})") from error


def _scalar(value: Any, kind: type) -> Any:
    if kind is SecretStr:
        return value if hasattr(value, "get_secret_value") else SecretStr(str(value))
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if kind is bool:
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError("true or false")
    if kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("a whole number")
        return int(value)
    if kind in (float, str, Path):
        return kind(value)
    if kind in (date, time):
        return kind.fromisoformat(str(value))
    raise TypeError(f"unsupported setting type {kind}")
