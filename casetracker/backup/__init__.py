"""Backup and restore (issue #11 item 1): one archive of the database and every stored
document, with a manifest, optionally encrypted.

- ``archive``: writing the archive (its format is documented there);
- ``database``: each database vendor's dump and restore;
- ``stream``: the archive's encryption (AES-256-GCM, STREAM construction);
- ``restore``: checking an archive and restoring it;
- ``runs``: the BackupRun services behind the Celery task and the page;
- ``views``: the operators' ``/backups/`` page.
"""
