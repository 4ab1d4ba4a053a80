"""Every write to cases and their records (DESIGN §3): keyword-only, with the acting user,
one transaction, validated with ``full_clean()``, and an event on the timeline."""

from cases.services.cases import (
    case_close,
    case_open,
    case_party_add,
    case_party_remove,
    case_reopen,
    case_share,
    case_unshare,
    case_update,
)
from cases.services.feeds import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
    calendar_feed_use,
)
from cases.services.notes import (
    document_delete,
    document_upload,
    note_file,
    note_file_with_document,
    note_update,
)
from cases.services.proceedings import (
    detention_create,
    detention_end,
    detention_update,
    extradition_decision_record,
    extradition_decision_update,
    extradition_request_create,
    extradition_request_surrender,
    extradition_request_update,
)
from cases.services.records import record_delete

__all__ = [
    "calendar_feed_create",
    "calendar_feed_regenerate",
    "calendar_feed_revoke",
    "calendar_feed_use",
    "case_close",
    "case_open",
    "case_party_add",
    "case_party_remove",
    "case_reopen",
    "case_share",
    "case_unshare",
    "case_update",
    "detention_create",
    "detention_end",
    "detention_update",
    "document_delete",
    "document_upload",
    "extradition_decision_record",
    "extradition_decision_update",
    "extradition_request_create",
    "extradition_request_surrender",
    "extradition_request_update",
    "note_file",
    "note_file_with_document",
    "note_update",
    "record_delete",
]
