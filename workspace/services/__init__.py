"""Writes that reach across every app (DESIGN §3: every write is a service): forgetting a person
(``anonymise``) and merging two records of one person (``merge``)."""

from workspace.services.anonymise import PLACEHOLDER, person_anonymise
from workspace.services.merge import KEEP, MERGE, person_merge

__all__ = ["KEEP", "MERGE", "PLACEHOLDER", "person_anonymise", "person_merge"]
