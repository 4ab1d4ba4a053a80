"""The person's safety after a write that may endanger them (DESIGN §6, issue #9 item 5).

A surrender, a detention that ends in extradition, deportation or transfer, or a new or changed
extradition request may breach an interim measure or make a person high risk. Those facts
belong to ``rulings``, above ``cases``, so ``cases`` cannot check them itself: ``rulings``
registers its check here at start-up (``RulingsConfig.ready``), and the services of detentions
and extradition requests name ``person_safety_check`` at their call sites (their ``then=``),
so whoever reads a service sees that it raises the alarm. The check runs in the write's
transaction, only when the write changed something; a failing check rolls the write back.
"""

from collections.abc import Callable

from django.db import models

SafetyCheck = Callable[[models.Model], object]

_checks: list[SafetyCheck] = []


def person_safety_check_register(check: SafetyCheck) -> None:
    """Add ``check(record)``, run after every write that may endanger the record's person."""
    if check not in _checks:
        _checks.append(check)


def person_safety_check(record: models.Model) -> None:
    """Run every registered check on ``record`` (a detention or an extradition request)."""
    for check in _checks:
        check(record)
