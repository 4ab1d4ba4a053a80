"""Fixtures of the cases tests: documents kept in a temporary folder."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a folder of this test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT
