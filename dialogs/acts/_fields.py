"""Where a field named by the customer lives in a flow's answers: the step that parses it, and
whether it is the item being given or a completed item of a list (a receipt already sent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.acts._texts import t
from dialogs.steps import Context, Field, Flow, ItemList, Step
from dialogs.texts import label


@dataclass(frozen=True, slots=True)
class Place:
    """One answer of `field`: at the top of the answers (`index` None) or item `index` (0-based)
    of `items`."""

    field: Field
    step: Step
    items: ItemList | None = None
    index: int | None = None

    @property
    def key(self) -> str:
        assert self.items is not None
        return self.field.step[len(self.items.prefix):]

    def value(self, ctx: Context) -> Any:
        if self.index is None:
            return ctx.answers.get(self.field.step)
        assert self.items is not None
        return ctx.answers[self.items.name][self.index].get(self.key)

    def label(self) -> str:
        what = t(f"field.{self.field.kind}")
        if self.items is None or self.index is None:
            return what
        return t("field.of_item", what=what, item=label(self.items.label), n=self.index + 1)


def list_of(flow: Flow, step_name: str) -> ItemList | None:
    return next((lst for lst in flow.lists if step_name.startswith(lst.prefix)), None)


def items_of(ctx: Context, items: ItemList) -> list[dict[str, Any]]:
    return list(ctx.answers.get(items.name) or [])


def places(flow: Flow, ctx: Context, kind: str) -> tuple[list[Place], Place | None]:
    """The answers of the fields of `kind`: the completed items, and the top-level one (the item
    being given, or a plain answer) when it has an answer."""
    completed: list[Place] = []
    current: Place | None = None
    for declared in flow.fields:
        if declared.kind != kind:
            continue
        step = flow.step(declared.step)
        items = list_of(flow, declared.step)
        if declared.step in ctx.answers and step.applies(ctx):
            current = Place(declared, step, items)
        if items is not None:
            key = declared.step[len(items.prefix):]
            completed += [Place(declared, step, items, i)
                          for i, item in enumerate(items_of(ctx, items)) if key in item]
    return completed, current


def answered_kinds(flow: Flow, ctx: Context) -> frozenset[str]:
    kinds = set()
    for declared in flow.fields:
        completed, current = places(flow, ctx, declared.kind)
        if completed or current:
            kinds.add(declared.kind)
    return frozenset(kinds)
