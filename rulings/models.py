"""Rulings: refugee-status decisions, complaints to UN treaty bodies and what they decide."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.models import Case, CaseScopedQuerySet
from cases.models.proceedings import NOT_A_PARTY
from casetracker.models import BaseModel
from rulings.choices import (
    Authority,
    CommitteeDecisionKind,
    CommitteeOutcome,
    ComplaintStatus,
    StatusOutcome,
    TreatyBody,
)


class RefugeeStatusDecision(BaseModel):
    """A decision on a person's refugee status by UNHCR, the national agency or a court."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="status_decisions",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="status_decisions", verbose_name=_("case")
    )
    authority = models.CharField(_("authority"), max_length=16, choices=Authority)
    body = models.CharField(
        _("deciding body"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Migration Police, Almaty” or “UNHCR Almaty”."),
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=StatusOutcome)
    applied_on = models.DateField(
        _("applied on"),
        null=True,
        blank=True,
        help_text=_(
            "When the application (or appeal) was lodged. Record a pending application with "
            "outcome “application pending”: the authority's time limit runs from this date."
        ),
    )
    decided_on = models.DateField(
        _("decided on"),
        null=True,
        blank=True,
        help_text=_("Empty while the application is pending."),
    )
    notified_on = models.DateField(
        _("notified on"),
        null=True,
        blank=True,
        help_text=_("When the person was told: appeal periods run from this date."),
    )
    appeal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("rules on appeal against"),
    )
    grounds = models.TextField(_("grounds"), blank=True)

    objects = CaseScopedQuerySet.as_manager()
    constraint_fields = {
        "rulings_refugeestatusdecision_notified_after_decided": "notified_on",
        "rulings_refugeestatusdecision_decided_on_iff_decided": "decided_on",
        "rulings_refugeestatusdecision_decided_after_applied": "decided_on",
        "rulings_refugeestatusdecision_not_own_appeal": "appeal_of",
    }

    class Meta:
        verbose_name = _("refugee status decision")
        verbose_name_plural = _("refugee status decisions")
        ordering = ["decided_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=StatusOutcome.PENDING, decided_on__isnull=True)
                | ~Q(outcome=StatusOutcome.PENDING) & Q(decided_on__isnull=False),
                name="%(app_label)s_%(class)s_decided_on_iff_decided",
                violation_error_message=_(
                    "A decision needs its date; a pending application has none yet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(applied_on__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(decided_on__gte=F("applied_on")),
                name="%(app_label)s_%(class)s_decided_after_applied",
                violation_error_message=_("A decision cannot precede the application."),
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=F("decided_on")),
                name="%(app_label)s_%(class)s_notified_after_decided",
                violation_error_message=_("A decision cannot be notified before it was made."),
            ),
            models.CheckConstraint(
                condition=~Q(appeal_of=F("id")),
                name="%(app_label)s_%(class)s_not_own_appeal",
                violation_error_message=_("A decision cannot rule on an appeal against itself."),
            ),
        ]
        indexes = [models.Index(fields=["person", "authority", "-decided_on"])]

    def __str__(self) -> str:
        day = self.decided_on or self.applied_on
        when = day.isoformat() if day else ""
        return f"{self.get_authority_display()} {when}: {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)

    def clean(self) -> None:
        errors: dict = {}
        if self.person_id and self.case_id and not self.case.has_party(self.person_id):
            errors["person"] = NOT_A_PARTY
        if self.appeal_of_id:
            appealed = self.appeal_of
            if appealed.person_id != self.person_id:
                errors["appeal_of"] = _("The appealed decision must concern the same person.")
            elif self.decided_on and appealed.decided_on and self.decided_on < appealed.decided_on:
                errors["decided_on"] = _(
                    "A decision on appeal cannot be dated before the decision it rules on "
                    "(%(date)s)."
                ) % {"date": appealed.decided_on.isoformat()}
        if errors:
            raise ValidationError(errors)


class Complaint(BaseModel):
    """A communication to a UN treaty body on behalf of one or more complainants."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("case")
    )
    body = models.CharField(_("treaty body"), max_length=6, choices=TreatyBody)
    complainants = models.ManyToManyField(
        "people.Person", related_name="complaints", verbose_name=_("complainants")
    )
    state_party = CountryField(_("State party"))
    counsel = models.CharField(_("counsel"), max_length=200, blank=True)
    number = models.CharField(
        _("communication number"), max_length=40, blank=True, help_text=_("E.g. “444/2010”.")
    )
    submitted_on = models.DateField(_("submitted on"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    transmitted_on = models.DateField(
        _("transmitted to the State on"),
        null=True,
        blank=True,
        help_text=_("The State's reply period runs from this date."),
    )
    state_reply_on = models.DateField(_("State replied on"), null=True, blank=True)
    comments_due_on = models.DateField(
        _("comments due on"),
        null=True,
        blank=True,
        help_text=_("The date for counsel's comments set in the Committee's letter."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus, default=ComplaintStatus.SUBMITTED
    )

    objects = CaseScopedQuerySet.as_manager()
    constraint_fields = {
        "rulings_complaint_registered_after_submitted": "registered_on",
        "rulings_complaint_transmitted_after_submitted": "transmitted_on",
        "rulings_complaint_reply_after_transmission": "state_reply_on",
    }

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-submitted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "body", "number"],
                condition=~Q(number=""),
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("This case already has a complaint with this number."),
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | Q(registered_on__gte=F("submitted_on")),
                name="%(app_label)s_%(class)s_registered_after_submitted",
                violation_error_message=_("A complaint cannot be registered before submission."),
            ),
            models.CheckConstraint(
                condition=Q(transmitted_on__isnull=True) | Q(transmitted_on__gte=F("submitted_on")),
                name="%(app_label)s_%(class)s_transmitted_after_submitted",
                violation_error_message=_(
                    "A complaint cannot be transmitted to the State before submission."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state_reply_on__isnull=True)
                | Q(transmitted_on__isnull=False, state_reply_on__gte=F("transmitted_on")),
                name="%(app_label)s_%(class)s_reply_after_transmission",
                violation_error_message=_(
                    "The State cannot reply before the complaint was transmitted to it."
                ),
            ),
        ]

    def __str__(self) -> str:
        number = self.number or _("(no number yet)")
        return f"{self.body} {number}"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)

    def clean(self) -> None:
        if self.state_reply_on and not self.transmitted_on:
            raise ValidationError(
                {"transmitted_on": _("Give the date of transmission to the State first.")}
            )


class InterimMeasureQuerySet(CaseScopedQuerySet):
    case_path = "complaint__case"

    def active_on(self, day: datetime.date) -> "InterimMeasureQuerySet":
        """Measures in force on ``day``: granted on or before it and not lifted by then."""
        return self.filter(granted_on__lte=day).filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
        )


class InterimMeasure(BaseModel):
    """A Committee's request to the State, e.g. not to extradite while it examines the case."""

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="interim_measures",
        verbose_name=_("complaint"),
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    reaffirmed_on = models.DateField(_("reaffirmed on"), null=True, blank=True)
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    scope = models.TextField(
        _("scope"),
        default="Do not extradite or deport the complainants while the complaint is under "
        "consideration.",
    )

    objects = InterimMeasureQuerySet.as_manager()
    constraint_fields = {
        "rulings_interimmeasure_granted_after_requested": "granted_on",
        "rulings_interimmeasure_reaffirmed_after_granted": "reaffirmed_on",
        "rulings_interimmeasure_lifted_after_granted": "lifted_on",
    }

    class Meta:
        verbose_name = _("interim measure")
        verbose_name_plural = _("interim measures")
        ordering = ["granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_on__isnull=True)
                | Q(granted_on__isnull=True)
                | Q(granted_on__gte=F("requested_on")),
                name="%(app_label)s_%(class)s_granted_after_requested",
                violation_error_message=_("A measure cannot be granted before it was requested."),
            ),
            models.CheckConstraint(
                condition=Q(reaffirmed_on__isnull=True)
                | Q(granted_on__isnull=False, reaffirmed_on__gte=F("granted_on")),
                name="%(app_label)s_%(class)s_reaffirmed_after_granted",
                violation_error_message=_("Only a granted measure can be reaffirmed, after grant."),
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True)
                | Q(granted_on__isnull=False, lifted_on__gte=F("granted_on")),
                name="%(app_label)s_%(class)s_lifted_after_granted",
                violation_error_message=_("Only a granted measure can be lifted, after grant."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint}: {_('interim measure')}"

    def get_absolute_url(self) -> str:
        return self.complaint.case.record_url(self)

    @property
    def case(self) -> Case:
        return self.complaint.case

    def is_active_on(self, day: datetime.date) -> bool:
        return bool(
            self.granted_on
            and self.granted_on <= day
            and (self.lifted_on is None or self.lifted_on > day)
        )


class CommitteeDecisionQuerySet(CaseScopedQuerySet):
    case_path = "complaint__case"


class CommitteeDecision(BaseModel):
    """A treaty body's decision on a complaint: admissibility, merits or discontinuance."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommitteeDecisionKind)
    symbol = models.CharField(
        _("document symbol"), max_length=60, blank=True, help_text=_("E.g. “CAT/C/48/D/444/2010”.")
    )
    adopted_on = models.DateField(_("adopted on"))
    transmitted_on = models.DateField(
        _("transmitted on"),
        null=True,
        blank=True,
        help_text=_("Follow-up periods run from transmission to the State."),
    )
    outcome = models.CharField(_("outcome"), max_length=14, choices=CommitteeOutcome)
    articles = models.CharField(
        _("articles"), max_length=200, blank=True, help_text=_("E.g. “3” or “3, 22”.")
    )
    remedies = models.TextField(_("remedies"), blank=True)
    follow_up_reply_on = models.DateField(_("State's follow-up reply on"), null=True, blank=True)
    follow_up_assessment = models.TextField(_("follow-up assessment"), blank=True)

    objects = CommitteeDecisionQuerySet.as_manager()
    constraint_fields = {
        "rulings_committeedecision_transmitted_after_adopted": "transmitted_on",
        "rulings_committeedecision_follow_up_after_adopted": "follow_up_reply_on",
    }

    class Meta:
        verbose_name = _("committee decision")
        verbose_name_plural = _("committee decisions")
        ordering = ["adopted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(transmitted_on__isnull=True) | Q(transmitted_on__gte=F("adopted_on")),
                name="%(app_label)s_%(class)s_transmitted_after_adopted",
                violation_error_message=_("A decision cannot be transmitted before adoption."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_reply_on__isnull=True)
                | Q(follow_up_reply_on__gte=F("adopted_on")),
                name="%(app_label)s_%(class)s_follow_up_after_adopted",
                violation_error_message=_("A follow-up reply cannot precede the decision."),
            ),
        ]

    def __str__(self) -> str:
        return self.symbol or f"{self.complaint} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return self.complaint.case.record_url(self)

    @property
    def case(self) -> Case:
        return self.complaint.case

    def clean(self) -> None:
        errors: dict = {}
        if self.complaint_id and self.adopted_on and self.adopted_on < self.complaint.submitted_on:
            errors["adopted_on"] = _(
                "A decision cannot precede the complaint's submission (%(date)s)."
            ) % {"date": self.complaint.submitted_on.isoformat()}
        if errors:
            raise ValidationError(errors)
