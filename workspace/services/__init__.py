"""Writes that reach across every app (DESIGN §3: every write is a service): forgetting a person
(``anonymise``) and merging two records of one person (``merge``)."""

from workspace.services.anonymise import PLACEHOLDER, person_anonymise
from workspace.services.merge import KEEP, MERGE, merge_conflicts, person_merge

__all__ = ["KEEP", "MERGE", "PLACEHOLDER", "merge_conflicts", "person_anonymise", "person_merge"]
