"""Signals for the apps above ``cases`` (dependencies point people ← cases ← rulings).

``record_written`` is sent by every case-record service after its write, inside the same
transaction, so that ``rulings`` can react (interim-measure breach, high risk) without
``cases`` importing it. Receivers must not swallow errors: a failure rolls the write back.
"""

from django.dispatch import Signal

# kwargs: record (the saved or deleted model instance), verb (casetracker.audit.Verb), actor
record_written = Signal()
