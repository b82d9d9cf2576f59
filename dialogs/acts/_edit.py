"""Corrections and removals applied through the flow's own steps, so every value is parsed and
validated as if it were typed at its question; then back where the customer was, saying what
changed."""

from __future__ import annotations

import copy

from dialogs.acts._classify import Act
from dialogs.acts._fields import Place, items_of, places
from dialogs.acts._texts import t
from dialogs.events import Inbound
from dialogs.matching import match_choice, normalise
from dialogs.runner import FlowRunner, reopen
from dialogs.steps import Accept, Context, Flow, Invalid, ItemList, Step
from dialogs.texts import label
from dialogs.turn import Turn


class Editor:
    """Changes one earlier answer, or removes one item of a list, from any question."""

    def __init__(self, runner: FlowRunner) -> None:
        self._runner = runner
        runner.on_accept.append(self.said_changed)

    async def correct(self, turn: Turn, act: Act) -> None:
        ctx = turn.ctx
        assert ctx is not None and act.field is not None
        flow = self._runner.flow_of(turn)
        place = self._place(turn, flow, ctx, act)
        if place is None:
            self._runner.ask_next(turn, fresh=False)
            return
        if place.index is None:
            await self._correct_answer(turn, flow, ctx, place, act.value)
        else:
            await self._correct_item(turn, ctx, place, act.value)

    @staticmethod
    def said_changed(turn: Turn, step: Step) -> None:
        """A reopened answer ("cambia la nota") is given: say what changed."""
        held = turn.state.held
        if held.get("do") != "changing" or held.get("step") != step.name:
            return
        assert turn.ctx is not None
        turn.state.held = {}
        new = step.describe(turn.ctx, turn.ctx.answers[step.name])
        turn.say(_changed(str(held["what"]), str(held["old"]), new))

    def _place(self, turn: Turn, flow: Flow, ctx: Context, act: Act) -> Place | None:
        """The answer the correction is about; None when it can't be told (said why)."""
        assert act.field is not None
        completed, current = places(flow, ctx, act.field)
        items = (current or (completed[0] if completed else None))
        if items is None:
            return None
        lst = items.items
        if act.item is not None and lst is not None:
            count = len(items_of(ctx, lst))
            n = count + (1 if current is not None else 0) if act.item == -1 else act.item
            if current is not None and n == count + 1:
                return current
            found = [p for p in completed if p.index == n - 1]
            if found:
                return found[0]
            turn.say(t("correction.no_item", item=label(lst.label), n=n, count=count))
            return None
        if current is not None:
            return current
        if len(completed) == 1:
            return completed[0]
        assert lst is not None
        what = t(f"field.{act.field}")
        turn.say(t("correction.which_item", item=label(lst.label), count=len(completed),
                   example=t("correction.example", what=what, item=label(lst.label))))
        return None

    async def _correct_answer(self, turn: Turn, flow: Flow, ctx: Context, place: Place,
                              value: str | None) -> None:
        state = turn.state
        step = place.step
        old = step.describe(ctx, ctx.answers[step.name])
        snapshot = (copy.deepcopy(state.answers), copy.deepcopy(state.defaults),
                    list(state.trail), list(state.implied))
        trail = list(state.trail)
        reopen(step, ctx, state)
        if value is None:
            # Said once the new answer is taken (see `said_changed`).
            state.held = {"do": "changing", "step": step.name, "what": place.label(), "old": old}
            turn.say(t("correction.ask", what=place.label()))
            self._runner.ask_next(turn, fresh=True)
            return
        options = self._runner.options(step, ctx, step.ask(ctx))
        index = match_choice(value, [o.label for o in options], [o.aliases for o in options])
        outcome = await step.answer(ctx, Inbound(text=value),
                                    options[index].key if index is not None else None)
        if not isinstance(outcome, Accept):
            _restore(turn, snapshot)
            if isinstance(outcome, Invalid):
                turn.say(outcome.message)
            turn.say(t("correction.not_changed", what=place.label(), old=old))
            self._runner.ask_next(turn, fresh=False)
            return
        self._runner.accept(turn, step, outcome)
        if step.name in trail:  # "indietro" keeps the order the questions were answered in
            state.trail[:] = trail
        new = step.describe(ctx, outcome.value)
        turn.say(_changed(place.label(), old, new))
        await self._runner.proceed(turn, flow)

    async def _correct_item(self, turn: Turn, ctx: Context, place: Place,
                            value: str | None) -> None:
        assert place.items is not None and place.index is not None
        lst, n = place.items, place.index + 1
        if value is None:
            what = t(f"field.{place.field.kind}")
            turn.say(t("correction.item_value", what=what, item=label(lst.label), n=n,
                       example=t("correction.item_example", what=_capital(what), item=label(lst.label),
                                 n=n)))
            self._runner.ask_next(turn, fresh=False)
            return
        items = items_of(ctx, lst)
        item = dict(items[place.index])
        # The item's answers as if it were being given again, for the step to check against.
        scratch = Context(ctx.household, ctx.today,
                          {**ctx.answers, **{lst.prefix + k: v for k, v in item.items()}},
                          ctx.services, {}, ctx.flow)
        scratch.answers.pop(place.field.step, None)
        step = place.step
        old = step.describe(ctx, item[place.key])
        outcome = await step.answer(scratch, Inbound(text=value), None)
        if not isinstance(outcome, Accept):
            if isinstance(outcome, Invalid):
                turn.say(outcome.message)
            turn.say(t("correction.not_changed", what=place.label(), old=old))
            self._runner.ask_next(turn, fresh=False)
            return
        item[place.key] = outcome.value
        for name, also in outcome.also.items():
            if name.startswith(lst.prefix):
                if also is None:
                    item.pop(name[len(lst.prefix):], None)
                else:
                    item[name[len(lst.prefix):]] = also
        items[place.index] = item
        ctx.answers[lst.name] = items
        turn.say(_changed(place.label(), old, step.describe(ctx, outcome.value)))
        self._runner.ask_next(turn, fresh=True)

    def remove(self, turn: Turn, act: Act) -> None:
        """"togli il documento 2": the item leaves its list; the others keep their order."""
        ctx = turn.ctx
        assert ctx is not None
        flow = self._runner.flow_of(turn)
        lst = _list_named(flow, act.noun)
        if lst is None:
            if flow.lists:
                turn.say(t("removal.unknown", item=label(flow.lists[0].label)))
            self._runner.ask_next(turn, fresh=False)
            return
        items = items_of(ctx, lst)
        n = act.item
        if not items:
            turn.say(t("removal.nothing", item=label(lst.label)))
        elif n is None and len(items) > 1:
            turn.say(t("removal.which", item=label(lst.label), count=len(items)))
        elif n is not None and not (n == -1 or 1 <= n <= len(items)):
            turn.say(t("correction.no_item", item=label(lst.label), n=n, count=len(items)))
        else:
            index = len(items) - 1 if n in (None, -1) else n - 1
            removed = items.pop(index)
            ctx.answers[lst.name] = items
            details = _details(flow, ctx, lst, removed)
            turn.say(t("removal.done" if details else "removal.done_plain", item=label(lst.label),
                       n=index + 1, details=details))
            if index < len(items):
                turn.say(t("removal.renumbered"))
            if not items and lst.done:
                ctx.answers.pop(lst.done, None)
                turn.say(t("removal.last_one", item=label(lst.label)))
            _forget_invalid(flow, ctx)
            self._runner.ask_next(turn, fresh=True)
            return
        self._runner.ask_next(turn, fresh=False)


def _forget_invalid(flow: Flow, ctx: Context) -> None:
    """Answers that relied on the removed item ("Continua" with the prescription there) are
    asked again with nothing to keep: the old answer no longer holds."""
    for step in flow.steps:
        if step.name in ctx.answers and step.applies(ctx) and not step.still_valid(
                ctx, ctx.answers[step.name]):
            ctx.answers.pop(step.name)
            ctx.defaults.pop(step.name, None)


def _list_named(flow: Flow, noun: str) -> ItemList | None:
    """The list the words name; the last word decides ("documento medico": the medical ones)."""
    if not noun:
        return flow.lists[0] if flow.lists else None
    words = normalise(noun).split()
    for word in reversed(words):
        found = next((lst for lst in flow.lists if word in lst.words), None)
        if found is not None:
            return found
    return None


def _details(flow: Flow, ctx: Context, lst: ItemList, item: dict) -> str:
    """The removed item in words, by its fields ("10 novembre 2026, € 120,50")."""
    parts = []
    for declared in flow.fields:
        key = declared.step[len(lst.prefix):]
        if declared.step.startswith(lst.prefix) and item.get(key):
            parts.append(flow.step(declared.step).describe(ctx, item[key]))
    if not parts and isinstance(item.get("file"), dict):
        parts.append(str(item["file"].get("filename", "")))
    return ", ".join(p for p in parts if p)


def _changed(what: str, old: str, new: str) -> str:
    if old == new:
        return t("correction.same", what_capital=_capital(what), new=new)
    return t("correction.changed", what=what, old=old, new=new)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _restore(turn: Turn, snapshot: tuple) -> None:
    answers, defaults, trail, implied = snapshot
    state = turn.state
    state.answers.clear()
    state.answers.update(answers)
    state.defaults.clear()
    state.defaults.update(defaults)
    state.trail[:] = trail
    state.implied[:] = implied
