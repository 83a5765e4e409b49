from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.support.redis_server import redis_url_for_tests


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis server for the whole run (never skipped)."""
    with redis_url_for_tests(os.environ.get("REDIS_URL")) as url:
        yield url


@pytest.fixture
def key_prefix() -> str:
    """A namespace of its own for each test, so tests never see each other's keys."""
    return f"swf-test-{uuid.uuid4().hex[:12]}"
