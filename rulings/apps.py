from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulingsConfig(AppConfig):
    name = "rulings"
    verbose_name = _("Rulings")

    def ready(self) -> None:
        from cases.deadlines.triggers import deadline_triggers_register
        from cases.safety import person_safety_check_register
        from rulings.alerts import person_endangered
        from rulings.models import CommitteeDecision, Complaint, RefugeeStatusDecision

        # The treaty bodies' and UNHCR's periods (DESIGN §6) run from rulings' own dates.
        deadline_triggers_register(Complaint, CommitteeDecision, RefugeeStatusDecision)

        # cases' services of detentions and extradition requests run it (cases/safety.py).
        person_safety_check_register(person_endangered)
