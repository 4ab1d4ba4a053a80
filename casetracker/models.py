"""Abstract bases shared by every app's models."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casetracker.db import history_rewrite


class BaseModel(models.Model):
    """A record with a random public UUID (never a sequential id in a URL) and timestamps.

    A violated constraint is reported against the field a user would correct (API and forms
    show it next to that field): the last field of a unique constraint, or the field named in
    ``constraint_fields`` for a check constraint.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    constraint_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError(self._errors_by_field(exc.error_dict)) from None

    def _errors_by_field(self, error_dict: dict) -> dict:
        field_of = {}
        for constraint in self._meta.constraints:
            field = (
                self.constraint_fields.get(constraint.name)
                or (getattr(constraint, "fields", None) or [None])[-1]
            )
            if field:
                field_of[str(constraint.violation_error_message)] = field
        result: dict = {}
        for key, errors in error_dict.items():
            for error in errors:
                target = field_of.get(error.message, key) if key == NON_FIELD_ERRORS else key
                result.setdefault(target, []).append(error)
        return result


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(BaseModel):
    """A key for REST API clients. It acts as its user, is shown once, and only its SHA-256 is
    stored; it expires and can be revoked. The prefix finds the row without a timing leak."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    STATES = {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def state(self) -> str:
        """``revoked``, ``expired`` or ``active``: one of ``STATES``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"

    def get_state_display(self) -> str:
        return str(self.STATES[self.state])


class UserPreference(BaseModel):
    """What a user chose for themselves, kept across devices: today the interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The interface language; empty follows the browser."),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)


class AccessChannel(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    ADMIN = "admin", _("admin")
    FEED = "feed", _("calendar feed")
    EXPORT = "export", _("export")


class AccessLogQuerySet(models.QuerySet):
    def rewrite(self, entry: "AccessLogEntry", *, query: str) -> None:
        """The one permitted change of an entry (casetracker.db.history_rewrite): its
        query string, redacted when the person searched for is anonymised."""
        with history_rewrite(connections[self.db]):
            self.filter(pk=entry.pk).update(query=query)


class AccessLogEntry(models.Model):
    """One read of case data, or one refused attempt: who, when, what, from where (issue #10,
    after Primero's access log). Written by ``casetracker.access_log``; append-only (a
    PostgreSQL trigger refuses UPDATE and DELETE, as for the case timeline).

    ``record`` and ``object_id`` name what was read (``case`` and its id, ``document`` …; a
    list leaves them empty and keeps its ``query``); ``case_id`` and ``person_id`` say whose file
    it belongs to, for "who has seen this". They are plain ids, not foreign keys: an entry
    outlives what it names, and ``casetracker`` knows no domain model.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the entry stays, and keeps ``username``, if the user is deleted
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=AccessChannel)
    denied = models.BooleanField(_("denied"), default=False)
    status = models.PositiveSmallIntegerField(_("status"))
    method = models.CharField(_("method"), max_length=10)
    route = models.CharField(_("route"), max_length=200, blank=True)
    path = models.CharField(_("path"), max_length=500)
    query = models.CharField(_("query"), max_length=500, blank=True)
    record = models.CharField(_("record"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case_id = models.UUIDField(_("case id"), null=True, blank=True, db_index=True)
    person_id = models.UUIDField(_("person id"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="casetracker_access_user_at")]

    def __str__(self) -> str:
        what = f"{self.record} {self.object_id}".strip() or self.path
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.channel} {what}"


class BackupState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackupStep(models.TextChoices):
    WAITING = "waiting", _("waiting for a worker")
    DATABASE = "database", _("dumping the database")
    DOCUMENTS = "documents", _("copying the documents")
    MANIFEST = "manifest", _("writing the manifest")
    FINISHED = "finished", _("finished")


class BackupRunQuerySet(models.QuerySet):
    def active(self) -> "BackupRunQuerySet":
        """Queued or running, and heard from within ``BACKUP_STALE_MINUTES`` (a running backup
        writes its progress at least every 30 seconds; a worker that died stops doing so)."""
        return self.filter(
            state__in=[BackupState.QUEUED, BackupState.RUNNING], updated_at__gte=_stale_since()
        )

    def stalled(self) -> "BackupRunQuerySet":
        """Queued or running, but silent for longer than ``BACKUP_STALE_MINUTES``."""
        return self.filter(
            state__in=[BackupState.QUEUED, BackupState.RUNNING], updated_at__lt=_stale_since()
        )


def _stale_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.BACKUP_STALE_MINUTES)


class BackupRun(BaseModel):
    """One backup (issue #11): queued from the ``/backups/`` page by a platform operator or by
    beat (``started_by`` empty), run by a Celery worker (``casetracker/tasks.py``), which writes
    its step and percentage here as it goes. The archive stays on the server: the page shows
    where it is and never serves it."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
        help_text=_("Empty for a scheduled backup."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=BackupState, default=BackupState.QUEUED
    )
    step = models.CharField(
        _("step"), max_length=10, choices=BackupStep, default=BackupStep.WAITING
    )
    percent = models.PositiveSmallIntegerField(
        _("percent done"), default=0, validators=[MaxValueValidator(100)]
    )
    archive = models.CharField(_("archive"), max_length=1000, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    key_id = models.CharField(
        _("encryption key id"),
        max_length=16,
        blank=True,
        help_text=_("The id of the BACKUP_KEY the archive is encrypted with; empty if it is not."),
    )
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = BackupRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("backup run")
        verbose_name_plural = _("backup runs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in (BackupState.QUEUED, BackupState.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but silent for longer than ``BACKUP_STALE_MINUTES``."""
        return self.is_active and self.updated_at < _stale_since()
