from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases.deadlines.triggers import deadline_triggers_register
        from cases.models import Detention, ExtraditionDecision
        from cases.selectors import PeopleReach
        from cases.services.feeds import calendar_feeds_revoke_all
        from casetracker.sessions import sign_out_revoker_register
        from people.access import case_reach_register

        # People are visible through the cases they are party to; people cannot import cases.
        case_reach_register(PeopleReach())
        # "Sign out everywhere" also stops the user's calendar feed links.
        sign_out_revoker_register(calendar_feeds_revoke_all)

        # KZ CPC art. 587-588 (a provisional arrest) and art. 592(1) (a prosecutor's decision).
        deadline_triggers_register(Detention, ExtraditionDecision)
        # The services name the tasks they enqueue (cases/services/alerts.py); each process,
        # the web's too, registers them here so that a name finds its task.
        from cases import tasks  # noqa: F401
