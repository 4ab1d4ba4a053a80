import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from casetracker.audit import sealed_changes, unsealed_changes
from casetracker.db import history_rewrite
from organisations.choices import Role
from organisations.models import Membership, Organisation


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a timeline event."""


class CaseEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseEventQuerySet":
        """Events of visible cases; a person's own events to those who may see the person;
        organisation events (memberships) to the organisation's admins."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        person_model = apps.get_model("people", "Person")
        admin_orgs = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
        return self.filter(
            Q(case__in=Case.objects.visible_to(user))
            # A record merged into another keeps its past events (issue #12).
            | Q(case__isnull=True, person__in=person_model.objects.visible_to(user, merged=True))
            | Q(case__isnull=True, person__isnull=True, organisation__in=admin_orgs)
        )

    def record(
        self,
        *,
        kind,
        actor,
        subject,
        organisation=None,
        case=None,
        person=None,
        before=None,
        after=None,
    ) -> "CaseEvent":
        if organisation is None:
            owner = case or person or subject
            organisation = owner if isinstance(owner, Organisation) else owner.organisation
        data = {}
        if before is not None:
            data["before"] = sealed_changes(type(subject), before)
        if after is not None:
            data["after"] = sealed_changes(type(subject), after)
        return self.create(
            organisation=organisation,
            case=case,
            person=person,
            kind=kind,
            actor=actor,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            # A record may name itself by something encrypted (a note by its text).
            subject_repr=str(getattr(subject, "audit_repr", subject))[:300],
            data=data,
        )

    def update(self, **kwargs):
        raise AppendOnlyError("The timeline is append-only: events are never changed.")

    def rewrite(self, event: "CaseEvent", *, data: dict, subject_repr: str) -> None:
        """The one permitted change of an event (casetracker.db.history_rewrite): its
        stored values and its record's name, for anonymisation and key rotation. Call it
        inside the service's transaction."""
        with history_rewrite(connections[self.db]):
            models.QuerySet.update(self.filter(pk=event.pk), data=data, subject_repr=subject_repr)

    def delete(self):
        raise AppendOnlyError("The timeline is append-only: events are never deleted.")


class CaseEvent(models.Model):
    """One entry of the append-only timeline and audit trail: who changed what, when, and how.

    Written by the services in the same transaction as the change; never updated or deleted
    (enforced here, and by a trigger on PostgreSQL).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    subject_id = models.UUIDField(_("record id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_repr = models.CharField(_("record"), max_length=300)
    data = models.JSONField(_("changes"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["case", "-at"]),
            models.Index(fields=["person", "-at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}: {self.subject_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The timeline is append-only: events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The timeline is append-only: events are never deleted.")

    @property
    def changes(self) -> dict:
        """The stored before/after values with the sealed ones (encrypted fields) opened."""
        return unsealed_changes(self.data)

    @property
    def subject_label(self) -> str:
        """The changed record's model as ``app_label.model_name`` (``people.person``), the key
        of people/access.py's field rules."""
        content_type = ContentType.objects.get_for_id(self.subject_type_id)
        return f"{content_type.app_label}.{content_type.model}"
