"""Deadlines and the alerts raised about them (DESIGN §6).

Rules are data: an admin can correct a period or a citation without a release. Every
Deadline keeps the arithmetic that produced it, so the UI can say how a date was computed and
a later change of the rule never silently moves an existing deadline.
"""

import datetime
import functools
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    AlertKind,
    AlertLevel,
    DeadlineStatus,
    PeriodUnit,
)
from cases.deadlines.triggers import trigger_model_choices, trigger_models
from cases.models.cases import Case, CaseScopedQuerySet
from casetracker.i18n import StoredText
from casetracker.models import BaseModel


def _validate_reminders(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, int) and v >= 0 for v in value):
        raise ValidationError(
            _("Give a list of whole days before the due date, e.g. [30, 7, 1, 0].")
        )


@functools.cache
def _time_zones() -> frozenset[str]:
    # available_timezones() walks the tzdata files on every call: once per process is enough.
    return frozenset(zoneinfo.available_timezones())


def _validate_timezone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(_("“%(tz)s” is not a time zone, e.g. “Asia/Almaty”.") % {"tz": value})


def _validate_condition(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_('Give the condition as an object, e.g. {"body": "CAT"}.'))


class DeadlineRule(BaseModel):
    """How a legal deadline follows from a date on a record: which record and date start it,
    under which condition, how long it runs, and the source that says so."""

    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9_]+(\.[a-z0-9_]+)*$",
                _("Use lower-case words joined by dots, e.g. cat.follow_up."),
            )
        ],
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(
        _("set by"), max_length=200, help_text=_("Who sets the deadline, e.g. the Committee.")
    )
    trigger_model = models.CharField(
        _("trigger record"), max_length=40, choices=trigger_model_choices
    )
    trigger_field = models.CharField(
        _("trigger date"), max_length=40, help_text=_("The date field that starts the period.")
    )
    trigger_condition = models.JSONField(
        _("condition"),
        default=dict,
        blank=True,
        validators=[_validate_condition],
        help_text=_(
            'Field values the record must have, e.g. {"body": "CAT"} or '
            '{"outcome": "violation", "complaint__body": "CAT"}; a list means any of them.'
        ),
    )
    trigger_label = models.CharField(
        _("trigger, in words"),
        max_length=100,
        help_text=_("How the explanation names the basis date, e.g. “decision transmitted”."),
    )
    met_field = models.CharField(
        _("met when set"),
        max_length=40,
        blank=True,
        help_text=_("A date field of the record that, once filled, marks the deadline met."),
    )
    period = models.PositiveIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=6, choices=PeriodUnit)
    roll_forward = models.BooleanField(
        _("roll forward"),
        default=False,
        help_text=_("Move a due day that is not a working day to the next working day."),
    )
    calendar_country = models.CharField(
        _("calendar country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166 code whose public holidays count for roll-forward, e.g. KZ."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=60, default="Asia/Almaty", validators=[_validate_timezone]
    )
    reminders = models.JSONField(
        _("reminders"),
        default=list,
        blank=True,
        validators=[_validate_reminders],
        help_text=_("Days before the due date to remind, e.g. [30, 7, 1, 0]."),
    )
    source = models.TextField(_("source"), help_text=_("The citation; say if unconfirmed."))
    rule_version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(roll_forward=False) | ~Q(calendar_country=""),
                name="%(app_label)s_%(class)s_roll_forward_needs_calendar",
                violation_error_message=_("Roll-forward needs the calendar country."),
            ),
        ]

    constraint_fields = {"cases_deadlinerule_roll_forward_needs_calendar": "calendar_country"}

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def clean(self) -> None:
        if not self.trigger_model or not self.trigger_field:
            return
        model = trigger_models().get(self.trigger_model)
        if model is None:  # the field's choices say so
            return
        dates = {f.name for f in model._meta.concrete_fields if isinstance(f, models.DateField)}
        errors = {}
        if self.trigger_field not in dates:
            errors["trigger_field"] = _("Choose a date field of the record: %(fields)s.") % {
                "fields": ", ".join(sorted(dates))
            }
        if self.met_field and self.met_field not in dates:
            errors["met_field"] = _("Choose a date field of the record: %(fields)s.") % {
                "fields": ", ".join(sorted(dates))
            }
        if errors:
            raise ValidationError(errors)


# A deadline due within this many days is "due soon" on the pages (dashboard, case page).
DUE_SOON_DAYS = 7


class DeadlineQuerySet(CaseScopedQuerySet):
    def open(self) -> "DeadlineQuerySet":
        return self.filter(status=DeadlineStatus.OPEN)

    def due_within(self, days: int, *, now: datetime.datetime | None = None) -> "DeadlineQuerySet":
        now = now or timezone.now()
        return self.open().filter(due_at__lte=now + datetime.timedelta(days=days))

    def overdue(self, *, now: datetime.datetime | None = None) -> "DeadlineQuerySet":
        return self.open().filter(due_at__lt=now or timezone.now())

    def alerts_pending(self, *, now: datetime.datetime) -> "DeadlineQuerySet":
        """Open deadlines with an alert to raise by ``now``: the sweep's indexed query (partial
        index ``cases_deadline_next_alert``), whose cost follows the number due, not the total."""
        return self.filter(status=DeadlineStatus.OPEN, next_alert_at__lte=now)


class Deadline(BaseModel):
    """A date by which something must happen in a case, computed from a rule or entered."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("case")
    )
    rule = models.ForeignKey(
        DeadlineRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("rule"),
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.UUIDField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("person"),
    )
    title = models.CharField(_("title"), max_length=200)
    basis_date = models.DateField(_("basis date"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"))
    computed_due_at = models.DateTimeField(
        _("computed due date"),
        null=True,
        blank=True,
        help_text=_("What the rule gives; differs from “due” when overridden."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=60, default="Asia/Almaty", validators=[_validate_timezone]
    )
    explanation = models.TextField(_("how it was computed"), blank=True)
    rule_version = models.PositiveIntegerField(_("rule version"), null=True, blank=True)
    reminders = models.JSONField(
        _("reminders"), default=list, blank=True, validators=[_validate_reminders]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeadlineStatus, default=DeadlineStatus.OPEN
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("responsible"),
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    # When the sweep next has an alert to raise (null: none left). Maintained by the engine.
    next_alert_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_type", "subject_id"],
                condition=Q(rule__isnull=False),
                name="%(app_label)s_%(class)s_once_per_rule_and_record",
                violation_error_message=_("This record already has this rule's deadline."),
            ),
            models.CheckConstraint(
                condition=Q(status=DeadlineStatus.MET, met_on__isnull=False)
                | ~Q(status=DeadlineStatus.MET) & Q(met_on__isnull=True),
                name="%(app_label)s_%(class)s_met_on_iff_met",
                violation_error_message=_("A met deadline needs the date it was met."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_alert_at"],
                condition=Q(status="open"),
                name="cases_deadline_next_alert",
            ),
            models.Index(fields=["case", "status", "due_at"], name="cases_deadline_case_due"),
            models.Index(fields=["subject_type", "subject_id"], name="cases_deadline_subject"),
        ]

    constraint_fields = {"cases_deadline_met_on_iff_met": "met_on"}

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date.isoformat()})"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def due_date(self) -> datetime.date:
        """The due day in the deadline's own time zone."""
        return self.due_at.astimezone(self.tz).date()

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at()

    def is_overdue_at(self, now: datetime.datetime | None = None) -> bool:
        """Open and past its due moment: the one definition of "overdue" for one deadline
        (``DeadlineQuerySet.overdue`` is the same rule for many)."""
        return self.status == DeadlineStatus.OPEN and self.due_at < (now or timezone.now())

    def days_until_due(self, now: datetime.datetime) -> int:
        """Whole days from ``now``'s day to the due day, both in the deadline's own time zone
        (negative once past): "due in 7 days" means by the end of the seventh day, whatever the
        hour now."""
        return (self.due_date - now.astimezone(self.tz).date()).days

    @property
    def is_overridden(self) -> bool:
        return self.computed_due_at is not None and self.computed_due_at != self.due_at


class AlertQuerySet(CaseScopedQuerySet):
    def unacknowledged(self) -> "AlertQuerySet":
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    """The ledger of what was raised. A reminder can never be raised twice: the unique
    constraints make the second insert fail, and only the insert that wins notifies."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("deadline"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind)
    offset_days = models.IntegerField(
        _("days before due"), default=0, validators=[MinValueValidator(0)]
    )
    # The deadline's due moment when the alert was raised: a deadline moved later (an override,
    # an edited trigger date) raises its reminders again for the new date.
    due_at = models.DateTimeField(_("due when raised"), null=True, blank=True)
    # What an event alert is about (the surrender, the detention, the decision).
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.UUIDField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    level = models.CharField(_("level"), max_length=8, choices=AlertLevel)
    message = models.TextField(_("message"))
    # The message's catalogue ids and values (casetracker.i18n.StoredText), so that each reader
    # gets it in their own language; ``message`` is the same in the site's language.
    message_text = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "offset_days", "due_at"],
                condition=Q(deadline__isnull=False),
                name="%(app_label)s_%(class)s_once_per_deadline",
                violation_error_message=_("This alert was already raised."),
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(deadline__isnull=True),
                name="%(app_label)s_%(class)s_once_per_event",
                violation_error_message=_("This alert was already raised."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(notified_at__isnull=True),
                name="cases_alert_unnotified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.message}"

    @property
    def display_message(self) -> str:
        """The message in the active language (as stored, for an alert raised before)."""
        if not self.message_text:
            return self.message
        try:
            return StoredText.from_json(self.message_text).render()
        except (KeyError, TypeError, ValueError):
            # A catalogue whose placeholders disagree must not hide the alert.
            return self.message
