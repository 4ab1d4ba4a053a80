from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessRole(models.TextChoices):
    """A user's role on one shared case (CaseAccess)."""

    LAWYER = "lawyer", _("lawyer")
    CASEWORKER = "caseworker", _("caseworker")
    VIEWER = "viewer", _("viewer")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class PartyRole(models.TextChoices):
    PRINCIPAL = "principal", _("principal")
    FAMILY = "family", _("family member")
    WITNESS = "witness", _("witness")


class DetentionBasis(models.TextChoices):
    PROVISIONAL_ARREST_EXTRADITION = (
        "provisional_arrest_extradition",
        _("provisional arrest pending extradition"),
    )
    EXTRADITION_ARREST = "extradition_arrest", _("arrest for extradition")
    IMMIGRATION = "immigration", _("immigration detention")
    CRIMINAL = "criminal", _("criminal detention")
    OTHER = "other", _("other")


class DetentionEndReason(models.TextChoices):
    RELEASED = "released", _("released")
    EXTRADITED = "extradited", _("extradited")
    DEPORTED = "deported", _("deported")
    TRANSFERRED = "transferred", _("transferred")
    OTHER = "other", _("other")


# Detention endings that remove the person from the State's territory or custody chain: under
# an active interim measure, each is a breach (DESIGN §6).
REMOVAL_END_REASONS = (
    DetentionEndReason.EXTRADITED,
    DetentionEndReason.DEPORTED,
    DetentionEndReason.TRANSFERRED,
)


class Treaty(models.TextChoices):
    MINSK_1993 = "minsk_1993", _("Minsk Convention (1993)")
    CHISINAU_2002 = "chisinau_2002", _("Chisinau Convention (2002)")
    BILATERAL = "bilateral", _("bilateral treaty")
    NONE = "none", _("no treaty (reciprocity)")
    OTHER = "other", _("other")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    SURRENDERED = "surrendered", _("surrendered")


class DecisionStage(models.TextChoices):
    """Stages of extradition proceedings, in the order they happen."""

    PROSECUTOR = "prosecutor", _("prosecutor")
    FIRST_INSTANCE = "first_instance", _("first-instance court")
    APPEAL = "appeal", _("appeal court")
    CASSATION = "cassation", _("cassation")
    SUPREME = "supreme", _("supreme court")


STAGE_ORDER = {stage: index for index, stage in enumerate(DecisionStage.values)}


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("extradition granted")
    REFUSED = "refused", _("extradition refused")
    UPHELD = "upheld", _("upheld")
    QUASHED = "quashed", _("quashed")
    REMANDED = "remanded", _("remanded")


class DocumentKind(models.TextChoices):
    DECISION = "decision", _("decision")
    SUBMISSION = "submission", _("submission")
    CORRESPONDENCE = "correspondence", _("correspondence")
    EVIDENCE = "evidence", _("evidence")
    IDENTITY = "identity", _("identity document")
    OTHER = "other", _("other")


class PeriodUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("open")
    MET = "met", _("met")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


class AlertKind(models.TextChoices):
    REMINDER = "reminder", _("reminder")
    DUE = "due", _("due today")
    OVERDUE = "overdue", _("overdue")
    INTERIM_MEASURE_BREACH = "interim_measure_breach", _("interim measure breached")
    HIGH_RISK = "high_risk", _("person at high risk")
    RETENTION_DUE = "retention_due", _("retention period ended")


class AlertLevel(models.TextChoices):
    INFO = "info", _("info")
    WARNING = "warning", _("warning")
    CRITICAL = "critical", _("critical")
