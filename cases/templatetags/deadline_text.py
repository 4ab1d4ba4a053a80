"""Deadlines in the reader's language.

The deadline rules are seeded in English (cases/migrations/0006, marked for the catalogue), and
a deadline keeps the English arithmetic it was computed with. A Russian-speaking caseworker
reads both in Russian: the rule's words through the catalogue, the arithmetic recomputed from
the same rule version and basis date, which gives the same result by construction.
"""

from django import template
from django.utils.translation import gettext

from cases.deadlines.arithmetic import compute_due
from cases.models import Deadline

register = template.Library()


@register.filter
def rule_text(text: str) -> str:
    """A rule's title or trigger label as the catalogue has it; an operator's own wording, which
    the catalogue does not know, as it is."""
    return gettext(text) if text else text


@register.filter
def deadline_title(deadline: Deadline) -> str:
    """A rule's deadline is titled by its rule; one entered by hand keeps the words it was
    given (user data is never run through the catalogue)."""
    return gettext(deadline.title) if deadline.rule_id else deadline.title


@register.filter
def deadline_explanation(deadline: Deadline) -> str:
    """How the deadline was computed, in the reader's language, when it can be recomputed
    exactly: same rule version, same basis, not overridden, and the rule already loaded (no
    query from a template). Otherwise the stored text."""
    stored = deadline.explanation
    if not (deadline.rule_id and deadline.basis_date and Deadline.rule.is_cached(deadline)):
        return stored
    rule = deadline.rule
    if rule.rule_version != deadline.rule_version or deadline.is_overridden:
        return stored
    computation = compute_due(rule, deadline.basis_date)
    return computation.explanation if computation.due_at == deadline.due_at else stored
