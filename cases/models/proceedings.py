from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.choices import (
    STAGE_ORDER,
    DecisionOutcome,
    DecisionStage,
    DetentionBasis,
    DetentionEndReason,
    RequestStatus,
    Treaty,
)
from cases.models.cases import Case, CaseScopedQuerySet
from casetracker.models import BaseModel

NOT_A_PARTY = _("This person is not a party to the case: add them to it first.")


class DetentionQuerySet(CaseScopedQuerySet):
    def overlapping(self, *, person, started_on, ended_on) -> "DetentionQuerySet":
        """Detentions of ``person`` that share at least one day with the given period."""
        qs = self.filter(person=person).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
        )
        if ended_on is not None:
            qs = qs.filter(started_on__lte=ended_on)
        return qs


class Detention(BaseModel):
    """A period a person spent in detention. Two detentions of one person never overlap."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="detentions",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="detentions", verbose_name=_("case")
    )
    facility = models.CharField(_("facility"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    authority = models.CharField(_("detaining authority"), max_length=200, blank=True)
    basis = models.CharField(_("legal basis"), max_length=32, choices=DetentionBasis)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=12, choices=DetentionEndReason, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = DetentionQuerySet.as_manager()
    constraint_fields = {
        "cases_detention_ends_after_start": "ended_on",
        "cases_detention_end_reason_with_end": "end_reason",
    }

    class Meta:
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("A detention cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="%(app_label)s_%(class)s_end_reason_with_end",
                violation_error_message=_(
                    "An ended detention needs its end reason, and only an ended one has one."
                ),
            ),
        ]
        # PostgreSQL also holds an exclusion constraint, cases_detention_no_overlap (migration
        # 0002): clean() below gives the message, the database guards against races.

    def __str__(self) -> str:
        end = self.ended_on.isoformat() if self.ended_on else "…"
        return f"{self.person}: {self.started_on.isoformat()} – {end}"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)

    @property
    def is_ongoing(self) -> bool:
        return self.ended_on is None

    def clean(self) -> None:
        errors: dict = {}
        if self.person_id and self.case_id and not self.case.has_party(self.person_id):
            errors["person"] = NOT_A_PARTY
        if (
            self.person_id
            and self.started_on
            and (self.ended_on is None or self.ended_on >= self.started_on)
        ):
            clash = (
                Detention.objects.overlapping(
                    person=self.person, started_on=self.started_on, ended_on=self.ended_on
                )
                .exclude(pk=self.pk)
                .first()
            )
            if clash:
                errors["started_on"] = _(
                    "Detentions of one person cannot overlap: this one overlaps the detention "
                    "from %(start)s to %(end)s."
                ) % {
                    "start": clash.started_on.isoformat(),
                    "end": clash.ended_on.isoformat() if clash.ended_on else _("now"),
                }
        if errors:
            raise ValidationError(errors)


class ExtraditionRequest(BaseModel):
    """A State's request that another State surrender a person."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="extradition_requests",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="extradition_requests",
        verbose_name=_("case"),
    )
    requesting_state = CountryField(_("requesting State"))
    requested_state = CountryField(_("requested State"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    charges = models.TextField(_("charges"), blank=True)
    treaty = models.CharField(_("treaty"), max_length=16, choices=Treaty, default=Treaty.MINSK_1993)
    diplomatic_assurances = models.TextField(_("diplomatic assurances"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus, default=RequestStatus.PENDING
    )
    surrendered_on = models.DateField(_("surrendered on"), null=True, blank=True)

    objects = CaseScopedQuerySet.as_manager()
    constraint_fields = {
        "cases_extraditionrequest_surrender_date_iff_surrendered": "surrendered_on",
        "cases_extraditionrequest_surrender_after_request": "surrendered_on",
        "cases_extraditionrequest_two_states": "requested_state",
    }

    class Meta:
        verbose_name = _("extradition request")
        verbose_name_plural = _("extradition requests")
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.SURRENDERED, surrendered_on__isnull=False)
                | ~Q(status=RequestStatus.SURRENDERED) & Q(surrendered_on__isnull=True),
                name="%(app_label)s_%(class)s_surrender_date_iff_surrendered",
                violation_error_message=_(
                    "A surrendered person needs the date of surrender; only a surrender has one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(surrendered_on__isnull=True) | Q(surrendered_on__gte=F("received_on")),
                name="%(app_label)s_%(class)s_surrender_after_request",
                violation_error_message=_("A surrender cannot precede the request."),
            ),
            models.CheckConstraint(
                condition=~Q(requesting_state=F("requested_state")),
                name="%(app_label)s_%(class)s_two_states",
                violation_error_message=_("The requesting and requested States must differ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requesting_state.code} → {self.requested_state.code}: {self.person}"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)

    def clean(self) -> None:
        if self.person_id and self.case_id and not self.case.has_party(self.person_id):
            raise ValidationError({"person": NOT_A_PARTY})


class ExtraditionDecisionQuerySet(CaseScopedQuerySet):
    case_path = "request__case"


class ExtraditionDecision(BaseModel):
    """One stage of an extradition request: the prosecutor's decision, then each court's."""

    request = models.ForeignKey(
        ExtraditionRequest,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("extradition request"),
    )
    stage = models.CharField(_("stage"), max_length=16, choices=DecisionStage)
    body = models.CharField(_("deciding body"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"))
    served_on = models.DateField(
        _("served on"),
        null=True,
        blank=True,
        help_text=_("When the person received a copy: appeal periods run from this date."),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome)
    notes = models.TextField(_("notes"), blank=True)

    objects = ExtraditionDecisionQuerySet.as_manager()
    constraint_fields = {"cases_extraditiondecision_served_after_decided": "served_on"}

    class Meta:
        verbose_name = _("extradition decision")
        verbose_name_plural = _("extradition decisions")
        ordering = ["decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(served_on__isnull=True) | Q(served_on__gte=F("decided_on")),
                name="%(app_label)s_%(class)s_served_after_decided",
                violation_error_message=_("A decision cannot be served before it was made."),
            ),
        ]

    def __str__(self) -> str:
        stage, outcome = self.get_stage_display(), self.get_outcome_display()
        return f"{stage} {self.decided_on.isoformat()}: {outcome}"

    def get_absolute_url(self) -> str:
        return self.request.case.record_url(self)

    @property
    def case(self) -> Case:
        return self.request.case

    def clean(self) -> None:
        errors: dict = {}
        # An unknown stage is reported by clean_fields(); it has no place in the order.
        if self.request_id and self.decided_on and self.stage in STAGE_ORDER:
            self._check_stage_order(errors)
        if errors:
            raise ValidationError(errors)

    def _check_stage_order(self, errors: dict) -> None:
        if self.decided_on < self.request.received_on:
            errors["decided_on"] = _(
                "A decision cannot precede the request it rules on (received %(date)s)."
            ) % {"date": self.request.received_on.isoformat()}
        earlier_stages = [s for s, i in STAGE_ORDER.items() if i < STAGE_ORDER[self.stage]]
        appealed = (
            self.request.decisions.filter(stage__in=earlier_stages, decided_on__gt=self.decided_on)
            .exclude(pk=self.pk)
            .order_by("-decided_on")
            .first()
        )
        if appealed:
            errors["decided_on"] = _(
                "A %(stage)s decision cannot be dated before the %(earlier)s decision it "
                "reviews (%(date)s)."
            ) % {
                "stage": self.get_stage_display(),
                "earlier": appealed.get_stage_display(),
                "date": appealed.decided_on.isoformat(),
            }
