from django.db import models
from django.utils.translation import gettext_lazy as _


class Authority(models.TextChoices):
    UNHCR_MANDATE = "unhcr_mandate", _("UNHCR (mandate)")
    NATIONAL = "national", _("national authority")
    COURT = "court", _("court")


class StatusOutcome(models.TextChoices):
    PENDING = "pending", _("application pending")
    RECOGNISED = "recognised", _("recognised as refugee")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REVOKED = "revoked", _("revoked")
    CEASED = "ceased", _("ceased")
    COMPLEMENTARY_PROTECTION = "complementary_protection", _("complementary protection")


# Outcomes under which the authority protects the person as a refugee or otherwise.
PROTECTED_OUTCOMES = (StatusOutcome.RECOGNISED, StatusOutcome.COMPLEMENTARY_PROTECTION)


class TreatyBody(models.TextChoices):
    CAT = "CAT", _("Committee against Torture (CAT)")
    HRC = "HRC", _("Human Rights Committee (HRC)")
    CEDAW = "CEDAW", _("Committee on the Elimination of Discrimination against Women (CEDAW)")
    CRC = "CRC", _("Committee on the Rights of the Child (CRC)")
    CED = "CED", _("Committee on Enforced Disappearances (CED)")
    CERD = "CERD", _("Committee on the Elimination of Racial Discrimination (CERD)")
    CMW = "CMW", _("Committee on Migrant Workers (CMW)")
    CRPD = "CRPD", _("Committee on the Rights of Persons with Disabilities (CRPD)")


class ComplaintStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    REGISTERED = "registered", _("registered")
    PENDING = "pending", _("pending before the Committee")
    DECIDED = "decided", _("decided")
    DISCONTINUED = "discontinued", _("discontinued")


class CommitteeDecisionKind(models.TextChoices):
    ADMISSIBILITY = "admissibility", _("admissibility")
    MERITS = "merits", _("merits")
    DISCONTINUANCE = "discontinuance", _("discontinuance")


class CommitteeOutcome(models.TextChoices):
    VIOLATION = "violation", _("violation")
    NO_VIOLATION = "no_violation", _("no violation")
    INADMISSIBLE = "inadmissible", _("inadmissible")
    DISCONTINUED = "discontinued", _("discontinued")
