"""The deadline engine (DESIGN §6): from the dates on a case's records to their deadlines and
alerts, in one package (issue #9, item 4).

* ``arithmetic``: the due date of a rule from a basis date, with the explanation it shows
  (calendar months clamped to the month's end, days, hours, roll-forward to a working day).
* ``triggers``: which records start deadlines (each app registers its own at start-up).
* ``sync``: creating, recomputing, meeting and cancelling a record's deadlines, called by the
  services inside their transaction, never by views.
* ``schedule``: when each reminder, due and overdue alert of a deadline falls.
* ``sweep``: the periodic sweep that raises what has come due.

Import from the module that holds a name (``from cases.deadlines.arithmetic import
compute_due``): this file imports none of them, so that importing one part never loads the
rest.
"""
