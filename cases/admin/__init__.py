"""Admin for organisations, cases, their records and the timeline (DESIGN §3–§5).

Reads go through ``visible_to``, writes through cases/services, and who may write is
cases/access.py's ``case_can`` for each record. ``CaseRecordAdmin`` is the base of every
admin of a record reached through a case (rulings/admin.py uses it too).
"""

from cases.admin import cases, deadlines, feeds, records
from cases.admin.base import CaseInline, CaseRecordAdmin, case_allows, standing

__all__ = [
    "CaseInline",
    "CaseRecordAdmin",
    "case_allows",
    "cases",
    "deadlines",
    "feeds",
    "records",
    "standing",
]
