from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from django.contrib import admin

        from casetracker.mfa import mfa_rule_register
        from organisations.access import admin_entry_allowed, mfa_obliged

        # The admin site (casetracker/admin_site.py) knows no roles: the memberships say who
        # may enter it.
        admin.site.allow_entry(admin_entry_allowed)
        # Two-factor sign-in is an organisation's choice (Organisation.require_mfa).
        mfa_rule_register(mfa_obliged)
