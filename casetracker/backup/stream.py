"""The encrypted envelope of a backup archive: AES-256-GCM in the STREAM construction (Hoang,
Reyhanitabar, Rogaway and Vizár, "Online authenticated-encryption and its nonce-reuse
misuse-resistance", CRYPTO 2015), the same shape as age's payload and Tink's streaming AEAD.
The byte layout is specified in ``casetracker/backup/archive.py``'s docstring; this module
writes and reads it.

``EncryptingWriter`` takes the archive's bytes as ``tarfile`` writes them and emits sealed
chunks; ``DecryptingReader`` gives them back, raising ``StreamError`` the moment a chunk does
not authenticate (a wrong key, a flipped byte, chunks swapped, dropped or cut short, bytes
after the final chunk). Nothing it returns has not been authenticated.
"""

import base64
import binascii
import hashlib
import os
import struct
from typing import BinaryIO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CTBACKUP"
VERSION = 1
CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
KEY_SIZE = 32
SALT_SIZE = 16
PREFIX_SIZE = 7
KEY_ID_SIZE = 8
# magic, version, chunk size, key id, salt, nonce prefix
_HEADER = struct.Struct(f">{len(MAGIC)}sBI{KEY_ID_SIZE}s{SALT_SIZE}s{PREFIX_SIZE}s")
HEADER_SIZE = _HEADER.size
_HKDF_INFO = b"casetracker backup v1 AES-256-GCM STREAM"
_KEY_ID_LABEL = b"casetracker backup key id"
MAX_CHUNKS = 2**32  # the counter's four bytes: 256 TiB of archive at 64 KiB a chunk


class StreamError(Exception):
    """The encrypted archive cannot be read: what is wrong, for the operator."""


def key_new() -> str:
    """A fresh BACKUP_KEY: 32 random bytes, URL-safe base64."""
    return base64.urlsafe_b64encode(os.urandom(KEY_SIZE)).decode()


def key_parse(text: str) -> bytes:
    """The 32 bytes of a BACKUP_KEY written in standard or URL-safe base64."""
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)  # the padding may have been left off
    try:
        key = base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_SIZE:
        raise StreamError(
            "BACKUP_KEY must be the base64 of 32 random bytes (44 characters ending in '='); "
            "make one with `python manage.py backup --new-key`."
        )
    return key


def key_id(key: bytes) -> str:
    """A short name for a key, stored in the header: it tells a wrong key from a damaged archive
    and says which of several keys an archive needs. A hash: it reveals nothing of the key."""
    return hashlib.sha256(_KEY_ID_LABEL + key).hexdigest()[: KEY_ID_SIZE * 2]


def _archive_cipher(key: bytes, salt: bytes) -> AESGCM:
    """Each archive has its own key, derived from BACKUP_KEY and the header's random salt: two
    archives never share a (key, nonce) pair, even if their random nonce prefixes collide."""
    derived = HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=salt, info=_HKDF_INFO)
    return AESGCM(derived.derive(key))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= MAX_CHUNKS:
        raise StreamError("The archive is larger than the format allows (2^32 chunks).")
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


def is_encrypted(head: bytes) -> bool:
    """Whether the first bytes of a file are this envelope's header."""
    return head[: len(MAGIC)] == MAGIC


class EncryptingWriter:
    """A write-only file object: everything written is sealed into ``out`` chunk by chunk;
    ``close()`` seals the final chunk (and must be called, or the archive reads as truncated)."""

    def __init__(self, out: BinaryIO, key: bytes, chunk_size: int = CHUNK_SIZE) -> None:
        salt, prefix = os.urandom(SALT_SIZE), os.urandom(PREFIX_SIZE)
        self._header = _HEADER.pack(
            MAGIC, VERSION, chunk_size, bytes.fromhex(key_id(key)), salt, prefix
        )
        self._cipher = _archive_cipher(key, salt)
        self._out, self._prefix, self._chunk_size = out, prefix, chunk_size
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        out.write(self._header)

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed EncryptingWriter")
        self._buffer += data
        # Keep at least one byte back: the final chunk is sealed by close(), never here.
        while len(self._buffer) > self._chunk_size:
            self._seal(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        # The header is associated data of every chunk: changing the chunk size, the salt or
        # the prefix fails authentication like a changed byte of the archive does.
        self._out.write(self._cipher.encrypt(nonce, chunk, self._header))
        self._counter += 1

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True

    def flush(self) -> None:
        self._out.flush()


class DecryptingReader:
    """A read-only file object over an encrypted archive (``tarfile``'s stream mode reads it)."""

    def __init__(self, source: BinaryIO, key: bytes | None) -> None:
        header = source.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE or not is_encrypted(header):
            raise StreamError("The archive does not start with an encrypted backup's header.")
        _magic, version, chunk_size, stored_id, salt, prefix = _HEADER.unpack(header)
        if version != VERSION:
            raise StreamError(
                f"The archive's encryption is version {version}; this Casetracker reads version "
                f"{VERSION}. Restore it with the Casetracker release that wrote it."
            )
        if key is None:
            raise StreamError(
                f"The archive is encrypted (key id {stored_id.hex()}) and BACKUP_KEY is not set: "
                "set BACKUP_KEY to the key the archive was made with."
            )
        if stored_id.hex() != key_id(key):
            raise StreamError(
                f"BACKUP_KEY is not the key this archive was encrypted with: the archive needs "
                f"key id {stored_id.hex()}, BACKUP_KEY is key id {key_id(key)}."
            )
        if not 0 < chunk_size <= 16 * 1024 * 1024:
            raise StreamError("The archive's header is damaged (impossible chunk size).")
        self._source, self._header, self._prefix = source, header, prefix
        self._cipher = _archive_cipher(key, salt)
        self._sealed_size = chunk_size + TAG_SIZE
        self._counter = 0
        self._pending = source.read(self._sealed_size)
        self._plain = b""
        self._finished = False

    def _next_chunk(self) -> bytes:
        sealed, self._pending = self._pending, self._source.read(self._sealed_size)
        # The chunk is the final one when nothing follows it; the final flag in its nonce must
        # agree, so a stream cut at a chunk boundary does not authenticate.
        last = not self._pending
        if len(sealed) < TAG_SIZE:
            raise StreamError(
                f"The archive is truncated: chunk {self._counter} is cut short "
                f"({len(sealed)} bytes)."
            )
        if not last and len(sealed) != self._sealed_size:
            raise StreamError(f"The archive is damaged at chunk {self._counter}.")
        try:
            plain = self._cipher.decrypt(
                _nonce(self._prefix, self._counter, last), sealed, self._header
            )
        except Exception as exc:  # cryptography's InvalidTag
            where = f"chunk {self._counter}" + (", the last one" if last else "")
            raise StreamError(
                f"The archive does not authenticate at {where}: it was truncated, reordered "
                "or changed after it was written, or its header was. Nothing from it can be "
                "trusted."
            ) from exc
        self._counter += 1
        self._finished = last
        return plain

    def read(self, size: int = -1) -> bytes:
        while not self._finished and (size < 0 or len(self._plain) < size):
            self._plain += self._next_chunk()
        if size < 0:
            data, self._plain = self._plain, b""
        else:
            data, self._plain = self._plain[:size], self._plain[size:]
        return data
