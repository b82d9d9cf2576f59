"""The service of a direct request: typed within its category, or the check-up package itself."""

from __future__ import annotations

from typing import Any

from dialogs.flows.direct.category import checkup_of, is_checkup
from dialogs.flows.parts.service import Service, ServiceQuery
from dialogs.steps import Accept, Context
from portal.models import CatalogueKind


class DirectServiceQuery(ServiceQuery):
    def applies(self, ctx: Context) -> bool:
        return not is_checkup(ctx)


class DirectService(Service):
    """A check-up needs no search: its package is the service."""

    def implied(self, ctx: Context) -> Accept | None:
        chosen = checkup_of(ctx)
        if chosen is not None:
            _, guarantee = chosen
            return Accept({"code": guarantee.code, "kind": CatalogueKind.OUTPATIENT.value,
                           "name": guarantee.name})
        return super().implied(ctx)

    def still_valid(self, ctx: Context, value: Any) -> bool:
        chosen = checkup_of(ctx)
        if chosen is not None:
            return value["code"] == chosen[1].code
        if is_checkup(ctx):
            return False
        return super().still_valid(ctx, value)
