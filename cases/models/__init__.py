"""Cases and everything reached through them. Split by topic; import from ``cases.models``."""

from cases.models.cases import Case, CaseAccess, CaseParty, CaseQuerySet, CaseScopedQuerySet
from cases.models.deadlines import Alert, Deadline, DeadlineRule
from cases.models.events import AppendOnlyError, CaseEvent
from cases.models.feeds import CalendarFeed
from cases.models.proceedings import Detention, ExtraditionDecision, ExtraditionRequest
from cases.models.records import Document, Note

__all__ = [
    "Alert",
    "AppendOnlyError",
    "CalendarFeed",
    "Case",
    "CaseAccess",
    "CaseEvent",
    "CaseParty",
    "CaseQuerySet",
    "CaseScopedQuerySet",
    "Deadline",
    "DeadlineRule",
    "Detention",
    "Document",
    "ExtraditionDecision",
    "ExtraditionRequest",
    "Note",
]
