"""«Ho capito: martedì 17 novembre 2026. Confermi?» after a date not written in full."""

from __future__ import annotations

from dialogs.events import Inbound
from dialogs.matching import yes_or_no
from dialogs.steps import Accept, BaseStep, Context, Option, Outcome, Question, Stay, Step
from dialogs.texts import t


class ConfirmDate(BaseStep):
    """Confirms what the date question (`target`) understood; a new date typed instead of
    yes or no is read as a new answer to it, and "no" asks it again."""

    target: Step

    def understood(self, ctx: Context) -> str:
        """The date as understood, in words."""
        raise NotImplementedError

    def check_text(self, ctx: Context, day: str) -> str:
        raise NotImplementedError

    def retry_text(self, ctx: Context) -> str:
        raise NotImplementedError

    def ask(self, ctx: Context) -> Question:
        return Question(self.check_text(ctx, self.understood(ctx)),
                        (Option("yes", t("common.yes")),
                         Option("no", t("common.no_other_date"))))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            if verdict is None:
                read = await self.target.answer(ctx, inbound, None)
                if isinstance(read, Accept):
                    return Stay(also={self.target.name: read.value, **read.also})
                return read
            option = "yes" if verdict else "no"
        if option == "yes":
            return Accept(True)
        return Stay(self.retry_text(ctx), reopen=(self.target.name,))
