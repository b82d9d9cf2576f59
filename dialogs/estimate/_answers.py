"""Questions about the cover answered from the household's policies and requests: how much
(this request or a hypothetical one), is it covered, which documents, how much of the massimale
is left, how long it takes, direct service or reimbursement; and the estimate lines of the
summary and of the choice between two policies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.coverage import covering
from dialogs.estimate._render import direct_cost, explain, format_date, limits_text, terms_text
from dialogs.estimate._texts import t
from dialogs.estimate._usage import load_claims
from dialogs.services import Services
from dialogs.texts import t as common
from nlu.catalogue import CONFIDENT
from nlu.intents import Parsed
from nlu.money import format_amount
from portal.estimate import Claim, Estimate, estimate, policy_year, sessions_left
from portal.models import Guarantee, Household, Person, Policy, Terms

__all__ = ["Draft", "ServiceLevels", "answer", "choice_text", "estimate_of", "summary_lines"]

# A catalogue match this good, and this far ahead of the next, is the service meant (as
# nlu.intents reads a service code); below, it is one example of what was typed.
_SURE_SCORE = 90.0
_SURE_MARGIN = 8.0
# Relations a question may name instead of a first name ("per mia moglie").
_RELATIONS = {"moglie": "coniuge", "marito": "coniuge", "coniuge": "coniuge",
              "figlio": "figlio", "figlia": "figlio"}


@dataclass(frozen=True, slots=True)
class ServiceLevels:
    """How long things usually take, in working days (configurable: MEDBOT_SERVICE_LEVELS)."""

    reimbursement_days: int = 20  # a complete reimbursement request is evaluated
    payment_days: int = 10  # the transfer after the evaluation
    direct_days: int = 3  # a direct service is authorised


@dataclass(frozen=True, slots=True)
class Draft:
    """What the request being filled says so far, for a question asked in its middle."""

    person_id: int | None = None
    service: dict[str, Any] | None = None  # {"code", "kind", "name"}
    policy_id: int | None = None
    guarantee_id: int | None = None
    amounts: tuple[Decimal, ...] = ()
    day: date | None = None
    direct: bool = False
    claims: tuple[Claim, ...] | None = field(default=None)


def estimate_of(policy: Policy, guarantee: Guarantee, amounts: Sequence[Decimal], code: str,
                day: date, person_id: int, claims: Sequence[Claim]) -> Estimate | None:
    """The estimate, or None when the guarantee's terms are not recorded."""
    if guarantee.terms is None:
        return None
    return estimate(guarantee.terms, policy, guarantee, amounts, service_code=code, day=day,
                    beneficiary_id=person_id, claims=claims)


def _line(policy: Policy, guarantee: Guarantee, amounts: Sequence[Decimal], code: str,
          day: date, person_id: int, claims: Sequence[Claim]) -> tuple[str, str]:
    """The estimate line and its limits ("" when none), or the terms when not recorded."""
    result = estimate_of(policy, guarantee, amounts, code, day, person_id, claims)
    if result is None:
        return terms_text(guarantee), ""
    assert guarantee.terms is not None
    return explain(result, format_date(day)), limits_text(result, guarantee.terms, code)


def summary_lines(policy: Policy, guarantee: Guarantee, amounts: Sequence[Decimal], code: str,
                  day: date, person_id: int, claims: Sequence[Claim], *,
                  direct: bool = False) -> list[str]:
    """The estimate lines of a summary: the reimbursement expected (with its limits and the
    sentence saying it is no promise), or what a direct service costs in the network."""
    if direct:
        return [t("summary.direct_cost", cost=direct_cost(guarantee.terms))]
    if guarantee.terms is None or not amounts:
        return []
    line, limits = _line(policy, guarantee, amounts, code, day, person_id, claims)
    lines = [t("summary.estimate", line=line)]
    if limits:
        lines.append(t("summary.limits", limits=limits))
    lines.append(t("summary.not_a_promise"))
    return lines


def choice_text(pairs: Sequence[tuple[Policy, Guarantee]], amounts: Sequence[Decimal],
                code: str, day: date, person_id: int, claims: Sequence[Claim],
                policy_label: Any) -> str:
    """Each policy's estimate (or terms, before any amount is known), for the choice."""
    if not any(g.terms is not None for _, g in pairs):
        return ""
    lines = [t("choice.title" if amounts else "choice.title_terms")]
    for policy, guarantee in pairs:
        if amounts:
            text, limits = _line(policy, guarantee, amounts, code, day, person_id, claims)
            if limits:
                text += f" ({limits})"
        else:
            text = terms_text(guarantee)
            left = _left(policy, guarantee, day, person_id, claims)
            if left:
                text += f"; {left}"
        lines.append(t("choice.line", policy=policy_label(policy), text=text))
    if amounts:
        lines.append(t("line.not_a_promise"))
    return "\n".join(lines)


def _left(policy: Policy, guarantee: Guarantee, day: date, person_id: int,
          claims: Sequence[Claim]) -> str:
    terms = guarantee.terms
    if terms is None or terms.massimale is None:
        return ""
    from portal.estimate import left_in_year

    left = left_in_year(terms, policy, guarantee, day, person_id, claims)
    return t("line.massimale_left", amount=format_amount(left or Decimal(0)))


# -- questions --------------------------------------------------------------------------------


async def answer(kind: str, parsed: Parsed, household: Household, today: date,
                 services: Services, levels: ServiceLevels, draft: Draft | None = None) -> str:
    """The answer to a cover question (`kind` as nlu.intents reads it), in and out of a
    request."""
    draft = draft or Draft()
    if kind == "times":
        return t("answer.times", reimbursement=levels.reimbursement_days,
                 payment=levels.payment_days, direct=levels.direct_days)
    person = _person(parsed, household, draft)
    named = parsed.entities.get("service")
    service = _service(str(named), services) if named else draft.service
    if named and service is None:
        if draft.service is None:
            return t("answer.unknown_service", text=named)
        service = draft.service  # "e per una visita da 200 euro?": this request's service
        named = None
    text = await _answer(kind, parsed, household, today, services, draft, person, named,
                         service)
    if named and service is not None and not _sure(parsed, str(named), service, services):
        # "una risonanza": the catalogue's closest one is an example, said as such.
        text = t("answer.example", typed=named, service=_service_name(service)) + "\n" + text
    return text


async def _answer(kind: str, parsed: Parsed, household: Household, today: date,
                  services: Services, draft: Draft, person: Person, named: object,
                  service: dict[str, Any] | None) -> str:
    claims = list(draft.claims) if draft.claims is not None else await load_claims(
        services, household)
    if kind == "left":
        return _answer_left(household, person, service, today, claims)
    if kind == "documents":
        return _answer_documents(household, person, service, draft)
    if service is None:
        return t("answer.in_request_later" if draft.person_id is not None or draft.direct
                 or draft.claims is not None else "answer.which_service")
    said = parsed.entities.get("amount")
    hypothetical = said is not None or bool(named)
    amounts = ((Decimal(str(said)),) if said is not None
               else () if hypothetical else draft.amounts)
    day = today if hypothetical or draft.day is None else draft.day
    if kind == "covered":
        return _answer_covered(household, person, service)
    if kind == "compare":
        return _answer_compare(household, person, service, amounts, day, claims)
    pairs = covering(household, person.id, service["code"], service["kind"], reimbursement=True)
    if not hypothetical and draft.policy_id is not None and draft.guarantee_id is not None:
        pairs = [(p, g) for p, g in pairs
                 if p.id == draft.policy_id and g.id == draft.guarantee_id] or pairs
    name = _service_name(service)
    if not pairs:
        return t("answer.not_covered_reimbursement", service=name, person=person.first_name)
    if not amounts:
        lines = [t("answer.request_no_amount") if not hypothetical and draft.service
                 else t("answer.terms_title", service=name, person=person.first_name)]
        lines += [t("terms.line", policy=_policy(p), guarantee=g.name, terms=terms_text(g))
                  for p, g in pairs]
        lines.append(t("answer.ask_amount"))
        return "\n".join(lines)
    total = format_amount(sum(amounts, Decimal(0)))
    lines = [t("answer.request_title", amount=total) if not hypothetical
             else t("answer.estimate_title", service=name, amount=total,
                    person=person.first_name)]
    for policy, guarantee in pairs:
        line, limits = _line(policy, guarantee, amounts, service["code"], day, person.id,
                             claims)
        lines.append(t("answer.estimate_line", policy=_policy(policy), guarantee=guarantee.name,
                       line=line))
        if limits:
            lines.append(t("answer.estimate_limits", limits=limits))
    lines.append(t("line.not_a_promise"))
    return "\n".join(lines)


def _answer_covered(household: Household, person: Person, service: dict[str, Any]) -> str:
    name = _service_name(service)
    refund = covering(household, person.id, service["code"], service["kind"], reimbursement=True)
    direct = covering(household, person.id, service["code"], service["kind"], reimbursement=False)
    if not refund and not direct:
        return t("answer.not_covered", service=name, person=person.first_name)
    lines = [t("answer.covered_title", service=name, person=person.first_name)]
    seen: list[tuple[Policy, Guarantee]] = []
    for policy, guarantee in [*refund, *direct]:
        if (policy, guarantee) in seen:
            continue
        seen.append((policy, guarantee))
        how = ("answer.how_both" if guarantee.reimbursement and guarantee.direct
               else "answer.how_reimbursement" if guarantee.reimbursement else "answer.how_direct")
        terms = terms_text(guarantee, direct=not guarantee.reimbursement)
        if guarantee.reimbursement and guarantee.direct and guarantee.terms is not None:
            terms += ", " + direct_cost(guarantee.terms, short=True)
        lines.append(t("answer.covered_line", policy=_policy(policy), guarantee=guarantee.name,
                       how=t(how), terms=terms))
    return "\n".join(lines)


def _answer_documents(household: Household, person: Person, service: dict[str, Any] | None,
                      draft: Draft) -> str:
    if service is None:
        return t("answer.documents_general")
    pairs = covering(household, person.id, service["code"], service["kind"],
                     reimbursement=not draft.direct)
    if draft.guarantee_id is not None:
        pairs = [(p, g) for p, g in pairs if g.id == draft.guarantee_id] or pairs
    name = _service_name(service)
    if not pairs:
        return t("answer.not_covered_reimbursement", service=name, person=person.first_name)
    if draft.direct:
        documents = sorted({_document(k.value) for _, g in pairs for k in g.required_documents})
        return t("answer.direct_documents",
                 documents=f" {t('words.and')} ".join(documents) or common("documents.altro"))
    lines = [t("answer.documents_title", service=name)]
    for policy, guarantee in pairs:
        documents = [t("answer.expense_document"),
                     *(_document(k.value) for k in guarantee.required_documents)]
        lines.append(t("answer.documents_line", policy=_policy(policy),
                       guarantee=guarantee.name, documents=f" {t('words.and')} ".join(documents)))
    return "\n".join(lines)


def _answer_left(household: Household, person: Person, service: dict[str, Any] | None,
                 today: date, claims: Sequence[Claim]) -> str:
    from portal.estimate import left_in_year

    lines = [t("answer.left_title", person=person.first_name)]
    for policy in household.policies:
        if person.id not in policy.insured_ids or not policy.start <= today <= policy.end:
            continue
        for guarantee in policy.guarantees:
            terms = guarantee.terms
            if terms is None or not guarantee.reimbursement:
                continue
            if service is not None and not guarantee.covers_code(
                    service["code"], guarantee.catalogue_kind.__class__(service["kind"])):
                continue
            until = format_date(policy_year(policy.start, today)[1])
            if terms.massimale is not None:
                left = left_in_year(terms, policy, guarantee, today, person.id, claims)
                lines.append(t(
                    "answer.left_line", policy=_policy(policy), guarantee=guarantee.name,
                    left=format_amount(left or Decimal(0)),
                    massimale=format_amount(terms.massimale),
                    whose=t("answer.left_household" if terms.per_household
                            else "answer.left_person"), until=until))
            for limit in terms.limits:
                left_sessions = sessions_left(terms, policy, guarantee, limit.covers[0]
                                              .rstrip("*") + "0", today, person.id, claims)
                lines.append(t("answer.left_sessions", policy=_policy(policy),
                               guarantee=guarantee.name, name=limit.name,
                               left=left_sessions, per_year=limit.per_year, until=until))
    if len(lines) == 1:
        return t("answer.left_none", person=person.first_name)
    lines.append(t("answer.left_counts"))
    return "\n".join(lines)


def _answer_compare(household: Household, person: Person, service: dict[str, Any],
                    amounts: Sequence[Decimal], day: date, claims: Sequence[Claim]) -> str:
    name = _service_name(service)
    refund = covering(household, person.id, service["code"], service["kind"], reimbursement=True)
    direct = covering(household, person.id, service["code"], service["kind"], reimbursement=False)
    if not refund and not direct:
        return t("answer.not_covered", service=name, person=person.first_name)
    if not refund:
        return t("answer.compare_only_direct", service=name, person=person.first_name,
                 cost=direct_cost(direct[0][1].terms, short=True))
    if not direct:
        return t("answer.compare_only_reimbursement", service=name, person=person.first_name)
    lines = [t("answer.compare_title", service=name, person=person.first_name)]
    cheapest_direct = min((_quota(g.terms) for _, g in direct), default=Decimal(0))
    for policy, guarantee in direct:
        quota = _quota(guarantee.terms)
        cost = (t("answer.compare_direct_quota", amount=format_amount(quota)) if quota
                else t("answer.compare_direct_free"))
        lines.append(t("answer.compare_direct", policy=_policy(policy), cost=cost))
    best_refund: Decimal | None = None
    for policy, guarantee in refund:
        result = estimate_of(policy, guarantee, amounts, service["code"], day, person.id,
                             claims) if amounts else None
        if result is None:
            lines.append(t("answer.compare_reimbursement_terms", policy=_policy(policy),
                           terms=terms_text(guarantee)))
            continue
        lines.append(t("answer.compare_reimbursement", policy=_policy(policy),
                       text=explain(result, format_date(day))))
        paid_by_you = result.claimed - result.amount
        best_refund = paid_by_you if best_refund is None else min(best_refund, paid_by_you)
    if best_refund is None:
        lines.append(t("answer.compare_amount"))
    elif cheapest_direct < best_refund:
        lines.append(t("answer.compare_better_direct", direct=format_amount(cheapest_direct),
                       reimbursement=format_amount(best_refund)))
    elif cheapest_direct > best_refund:
        lines.append(t("answer.compare_better_reimbursement", direct=format_amount(
            cheapest_direct), reimbursement=format_amount(best_refund)))
    else:
        lines.append(t("answer.compare_same"))
    if best_refund is not None:
        lines.append(t("line.not_a_promise"))
    return "\n".join(lines)


def _quota(terms: Terms | None) -> Decimal:
    return terms.direct_quota if terms is not None and terms.direct_quota else Decimal("0.00")


def _person(parsed: Parsed, household: Household, draft: Draft) -> Person:
    name = parsed.entities.get("person")
    if name:
        found = next((m for m in household.members
                      if m.first_name.casefold() == str(name).casefold()), None)
        if found is not None:
            return found
    relation = _RELATIONS.get(str(parsed.entities.get("relation") or ""))
    if relation is not None:
        found = next((m for m in household.members if m.relation.value == relation), None)
        if found is not None:
            return found
    if draft.person_id is not None:
        return household.member(draft.person_id)
    return household.customer


def _sure(parsed: Parsed, typed: str, service: dict[str, Any], services: Services) -> bool:
    """Whether the service named is the one meant, not one example of a family."""
    if parsed.entities.get("service_code") == service["code"]:
        return True
    matches = services.find_services(typed, 2)
    return bool(matches) and matches[0].score >= _SURE_SCORE and (
        len(matches) == 1 or matches[0].score - matches[1].score >= _SURE_MARGIN)


def _service(text: str, services: Services) -> dict[str, Any] | None:
    matches = services.find_services(text, 1)
    if not matches or matches[0].confidence < CONFIDENT:
        return None
    best = matches[0]
    return {"code": best.code, "kind": best.kind, "name": best.name}


def _service_name(service: dict[str, Any]) -> str:
    from dialogs.flows.common import short_name

    return f"«{short_name(str(service['name']))}»"


def _policy(policy: Policy) -> str:
    return common("common.policy", name=policy.name, number=policy.number)


def _document(kind: str) -> str:
    return common(f"documents.{kind}")
