from __future__ import annotations

import pytest

from soc2_tui import banks, model
from soc2_tui.store import Store


@pytest.fixture(scope="session")
def q() -> model.Questionnaire:
    return banks.load_questionnaire()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "a.db")
    yield s
    s.close()


@pytest.fixture
def demo_store(tmp_path, q):
    """A store holding the demo assessment (the app's screens on realistic answers)."""
    from soc2_tui import demo

    store = Store(tmp_path / "demo.db")
    demo.create_demo(store, q)
    yield store
    store.close()


@pytest.fixture(scope="module")
def module_demo_db(tmp_path_factory, q):
    """The demo in a file made once per test module, for tests that only read it (or copy it
    before they change anything)."""
    from soc2_tui import demo

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(db) as s:
        demo.create_demo(s, q)
    return db


@pytest.fixture
def two(tmp_path):
    """The app's store and another program's store on the same file, with one assessment."""
    path = tmp_path / "shared.db"
    mine = Store(path)
    a = mine.create("Acme", organisation="Acme Ltd", principles=["security"], by="Setup")
    other = Store(path)
    yield mine, other, a.id
    other.close()
    mine.close()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cli.db"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the question-bank cache of the test run out of the user's home."""
    import os

    old = os.environ.get("SOC2_TUI_CACHE_DIR")
    os.environ["SOC2_TUI_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("SOC2_TUI_CACHE_DIR", None)
    else:
        os.environ["SOC2_TUI_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def _private_config(tmp_path_factory, monkeypatch):
    """Every test remembers its respondent and theme in a folder of its own, never the user's."""
    monkeypatch.setenv("SOC2_TUI_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
