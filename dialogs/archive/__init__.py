"""The archive of requests in plain Italian: filters from a question, lists, details, answers.

Every function takes the household's requests and shows only those `can_see` allows; choice
ids are keys only (see `dialogs.archive._render`), the engine adds its question token.
"""

from dialogs.archive._facts import follow_up
from dialogs.archive._query import ArchiveQuery, can_see, filters_from, select
from dialogs.archive._render import (
    MAX_SHOWN,
    complaint_text,
    handoff_text,
    render_answer,
    render_detail,
    render_document,
    render_list,
    render_not_found,
)
from dialogs.archive.chat import answer_choice, answer_question, show_all, show_request

__all__ = [
    "MAX_SHOWN",
    "ArchiveQuery",
    "answer_choice",
    "answer_question",
    "can_see",
    "complaint_text",
    "filters_from",
    "follow_up",
    "handoff_text",
    "render_answer",
    "render_detail",
    "render_document",
    "render_list",
    "render_not_found",
    "select",
    "show_all",
    "show_request",
]
