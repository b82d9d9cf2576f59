"""Answers to questions about the request being filled: what it holds so far, its cover."""

from __future__ import annotations

from dialogs.acts._texts import t
from dialogs.steps import Context, Flow
from dialogs.texts import label


def recap(flow: Flow, ctx: Context) -> str:
    """The answers given so far, one line each, as the summary's edit menu names them."""
    lines = []
    for step in flow.steps:
        if step.edit_label and step.name in ctx.answers and step.applies(ctx):
            lines.append(f"• {label(step.edit_label)}: {step.describe(ctx, ctx.answers[step.name])}")
    for lst in flow.lists:
        count = len(ctx.answers.get(lst.name) or [])
        if count:
            lines.append(f"• {label(lst.label).capitalize()}: {count}")
    if not lines:
        return t("question.recap_empty")
    return "\n".join([t("question.recap_title"), *lines])


def cover(flow: Flow, ctx: Context, contact: str) -> str:
    """The policy and guarantee that cover this request, once they are known."""
    known = {}
    for declared in flow.fields:
        if declared.kind in ("policy", "guarantee") and declared.step in ctx.answers:
            step = flow.step(declared.step)
            known[declared.kind] = step.describe(ctx, ctx.answers[declared.step])
    if "policy" in known and "guarantee" in known:
        return t("question.cover_known", policy=known["policy"], guarantee=known["guarantee"])
    return t("question.cover_later", contact=contact)
