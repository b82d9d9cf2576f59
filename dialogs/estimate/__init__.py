"""The estimate in the conversation: how much a request would be reimbursed, the guarantee's
terms in words, and the questions about the cover answered in and out of a request."""

from dialogs.estimate._answers import (
    Draft,
    ServiceLevels,
    answer,
    choice_text,
    estimate_of,
    summary_lines,
)
from dialogs.estimate._render import direct_cost, explain, limits_text, terms_text
from dialogs.estimate._usage import claims_from_json, claims_json, load_claims

__all__ = [
    "Draft",
    "ServiceLevels",
    "answer",
    "choice_text",
    "claims_from_json",
    "claims_json",
    "direct_cost",
    "estimate_of",
    "explain",
    "limits_text",
    "load_claims",
    "summary_lines",
    "terms_text",
]
