"""Encryption at rest (issue #11): what a stolen disk, database dump or backup must not reveal.

One list of keys, ``settings.ENCRYPTION_KEYS`` (Fernet keys, the first is current, the others
still decrypt until ``manage.py rotate_keys`` has re-encrypted everything with the first and
they are removed), serves two uses:

- **Fields** (contact details, note bodies): ``EncryptedTextField`` / ``EncryptedCharField``
  store ``enc1:<Fernet token>`` (AES-128-CBC with HMAC-SHA256, a random IV per value) through a
  ``MultiFernet`` of the keys; the model sees plaintext. The timeline's stored before/after
  values of those fields are sealed the same way (``seal``/``unseal``).
- **Documents** (envelope encryption): each file gets its own random 256-bit data key; the
  content is sealed with AES-256-GCM under it, and the data key is wrapped (AES-256-GCM) by a
  key-encryption key derived with HKDF-SHA256 from one of ``ENCRYPTION_KEYS``. The stored file
  is ``MAGIC | key id (8) | wrap nonce (12) | wrapped data key (48) | nonce (12) | ciphertext``;
  the key id is the first 8 bytes of SHA-256 of the wrapping key, so rotation rewraps the data
  key (``document_rewrap``) without touching the content. The header is the content's
  associated data: a swapped header fails to decrypt.

Names are not encrypted: the name search needs them (README, "Threat model").
"""

import base64
import hashlib
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import lookups

PREFIX = "enc1:"
DOCUMENT_MAGIC = b"CTDOC1\n"
_KEY_ID = 8
_NONCE = 12
_WRAPPED = 32 + 16  # a 256-bit key and its GCM tag
_HEADER = len(DOCUMENT_MAGIC) + _KEY_ID + _NONCE + _WRAPPED + _NONCE


class DecryptionError(Exception):
    """A value or file that none of the configured keys opens (a removed key, tampering)."""


def new_key() -> str:
    """A fresh key for ``ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode()


@cache
def _keys(configured: tuple[str, ...]) -> tuple[Fernet, ...]:
    try:
        return tuple(Fernet(key) for key in configured)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes each); "
            "make one with `manage.py rotate_keys --new-key`."
        ) from exc


def keys_check(keys: tuple[str, ...]) -> None:
    """Raise ImproperlyConfigured unless ``keys`` is a non-empty list of Fernet keys."""
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty: nothing can be encrypted.")
    _keys(keys)


def _configured() -> tuple[str, ...]:
    keys = tuple(settings.ENCRYPTION_KEYS)
    keys_check(keys)
    return keys


def _fernet() -> MultiFernet:
    return MultiFernet(list(_keys(_configured())))


# --- fields --------------------------------------------------------------------------------


def is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(value: str) -> str:
    """``value`` encrypted under the current key; the empty string stays empty (a blank field
    says only that nothing is on file)."""
    if value in ("", None) or is_sealed(value):
        return value
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def unseal(value):
    """The plaintext of a sealed value; anything else as it is (a value stored before the
    encryption migration, a blank)."""
    if not is_sealed(value):
        return value
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured key decrypts this value.") from exc


def reseal(value: str) -> str:
    """A sealed value re-encrypted under the current key (``rotate_keys``)."""
    if not is_sealed(value):
        return seal(value) if value else value
    try:
        return PREFIX + _fernet().rotate(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured key decrypts this value.") from exc


class _EmptyOnlyExact(lookups.Exact):
    """``field=""`` works on an encrypted column (blank stays blank); any other value could
    never match (each encryption differs), so asking is an error, not an empty answer."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.name} is encrypted at rest: it cannot be searched for a value."
            )
        return super().get_prep_lookup()


class EncryptedMixin:
    """A text column that holds ``seal(value)``; lookups other than ``isnull`` and an empty
    ``exact`` cannot work on it (each encryption differs), so they raise FieldError."""

    encrypted = True

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django answers "Unsupported lookup … for EncryptedCharField"

    def db_type(self, connection):
        return "text"

    def from_db_value(self, value, expression, connection):
        return unseal(value)

    def to_python(self, value):
        return unseal(super().to_python(value))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal(value) if isinstance(value, str) else value


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField whose ``max_length`` bounds the plaintext; the column is text."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    pass


def encrypted_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


# --- documents -----------------------------------------------------------------------------


@cache
def _wrapping_key(fernet_key: str) -> bytes:
    raw = base64.urlsafe_b64decode(fernet_key)
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"casetracker document key wrap"
    ).derive(raw)


def _key_id(wrapping_key: bytes) -> bytes:
    return hashlib.sha256(wrapping_key).digest()[:_KEY_ID]


def _wrapping_keys() -> dict[bytes, bytes]:
    keys = [_wrapping_key(key) for key in _configured()]
    return {_key_id(key): key for key in keys}


def _current_wrapping_key() -> bytes:
    return _wrapping_key(_configured()[0])


def _header(data_key: bytes) -> bytes:
    wrapping_key = _current_wrapping_key()
    wrap_nonce = os.urandom(_NONCE)
    wrapped = AESGCM(wrapping_key).encrypt(wrap_nonce, data_key, DOCUMENT_MAGIC)
    return DOCUMENT_MAGIC + _key_id(wrapping_key) + wrap_nonce + wrapped + os.urandom(_NONCE)


def _data_key(header: bytes) -> bytes:
    start = len(DOCUMENT_MAGIC)
    key_id = header[start : start + _KEY_ID]
    wrap_nonce = header[start + _KEY_ID : start + _KEY_ID + _NONCE]
    wrapped = header[start + _KEY_ID + _NONCE : start + _KEY_ID + _NONCE + _WRAPPED]
    wrapping_key = _wrapping_keys().get(key_id)
    if wrapping_key is None:
        raise DecryptionError("The document's key is not among ENCRYPTION_KEYS.")
    try:
        return AESGCM(wrapping_key).decrypt(wrap_nonce, wrapped, DOCUMENT_MAGIC)
    except Exception as exc:  # cryptography's InvalidTag
        raise DecryptionError("The document's key does not open: tampered or wrong.") from exc


def is_sealed_document(blob: bytes) -> bool:
    return blob.startswith(DOCUMENT_MAGIC)


def document_seal(content: bytes) -> bytes:
    """The stored form of a document's bytes: a fresh data key, wrapped, and the content."""
    data_key = AESGCM.generate_key(bit_length=256)
    header = _header(data_key)
    return header + AESGCM(data_key).encrypt(header[-_NONCE:], content, header)


def document_unseal(blob: bytes) -> bytes:
    """A stored document's bytes in plaintext (a file stored before encryption as it is)."""
    if not is_sealed_document(blob):
        return blob
    header, ciphertext = blob[:_HEADER], blob[_HEADER:]
    try:
        return AESGCM(_data_key(header)).decrypt(header[-_NONCE:], ciphertext, header)
    except DecryptionError:
        raise
    except Exception as exc:
        raise DecryptionError("The document does not decrypt: tampered or truncated.") from exc


def document_rewrap(blob: bytes) -> bytes:
    """The stored document with its data key wrapped by the current key (``rotate_keys``);
    an unencrypted file gets encrypted."""
    if not is_sealed_document(blob):
        return document_seal(blob)
    content = document_unseal(blob)  # proves the data key opens before rewriting
    data_key = _data_key(blob[:_HEADER])
    header = _header(data_key)
    return header + AESGCM(data_key).encrypt(header[-_NONCE:], content, header)


def document_key_current(blob: bytes) -> bool:
    """Whether a stored document's data key is wrapped by the current key."""
    start = len(DOCUMENT_MAGIC)
    return is_sealed_document(blob) and blob[start : start + _KEY_ID] == _key_id(
        _current_wrapping_key()
    )


class EncryptedFileSystemStorage(FileSystemStorage):
    """Files sealed on the way in and opened on the way out (``document_seal``): the disk and
    its backups hold no plaintext; ``.size()`` is the stored size."""

    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(document_seal(content.read())))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as stored:
            return ContentFile(document_unseal(stored.read()), name=name)

    def raw_read(self, name) -> bytes:
        with super()._open(name, "rb") as stored:
            return stored.read()

    def raw_replace(self, name, blob: bytes) -> None:
        """Replace a stored file's bytes in one step (a rename): never half-written."""
        path = self.path(name)
        with open(path + ".new", "wb") as out:
            out.write(blob)
        os.replace(path + ".new", path)


# --- rotation ------------------------------------------------------------------------------


def rotate_all(write=print) -> dict[str, int]:
    """Re-encrypt everything under the current (first) key: every encrypted column, the
    timeline's sealed values (through the event model's one permitted rewrite) and every
    stored file's data key. Safe to run again after an interruption: what is current already
    is re-encrypted again, nothing is lost. Returns the counts per model."""
    counts: dict[str, int] = {}
    event_model = apps.get_model(settings.CASETRACKER_EVENT_MODEL)
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if fields and model is not event_model:
            counts[model._meta.label] = _rotate_columns(model, fields)
        files = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.FileField) and isinstance(f.storage, EncryptedFileSystemStorage)
        ]
        for field in files:
            counts[f"{model._meta.label}.{field.name} files"] = _rotate_files(model, field)
    counts[f"{event_model._meta.label} values"] = _rotate_events(event_model)
    for label, count in counts.items():
        write(f"{label}: {count}")
    return counts


def _rotate_columns(model, fields) -> int:
    count = 0
    rows = model._base_manager.only("pk", *fields).order_by("pk")
    batch: list = []
    for row in rows.iterator(chunk_size=500):
        batch.append(row)  # plaintext in, sealed under the current key out
        if len(batch) == 500:
            count += _save_batch(model, batch, fields)
            batch = []
    return count + (_save_batch(model, batch, fields) if batch else 0)


@transaction.atomic
def _save_batch(model, batch, fields) -> int:
    model._base_manager.bulk_update(batch, fields)
    return len(batch)


def _rotate_files(model, field) -> int:
    storage, count = field.storage, 0
    for name in model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
        if not storage.exists(name):
            continue
        blob = storage.raw_read(name)
        if not document_key_current(blob):
            storage.raw_replace(name, document_rewrap(blob))
            count += 1
    return count


def _rotate_events(event_model) -> int:
    count = 0
    events = event_model.objects.filter(data__icontains=PREFIX).order_by("pk")
    for event in events.iterator(chunk_size=500):
        data = {
            side: (
                {k: reseal(v) if is_sealed(v) else v for k, v in values.items()}
                if isinstance(values, dict)
                else values
            )
            for side, values in event.data.items()
        }
        with transaction.atomic():
            event_model.objects.rewrite(event, data=data, subject_repr=event.subject_repr)
        count += 1
    return count
