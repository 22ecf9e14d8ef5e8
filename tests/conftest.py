from __future__ import annotations

import pytest

from soc2_tui import content
from soc2_tui.store import Store


@pytest.fixture(scope="session")
def q() -> content.Questionnaire:
    return content.load_questionnaire()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "a.db")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cli.db"
