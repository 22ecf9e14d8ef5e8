"""The parsed-bank cache speeds up starts and can never change or break what is loaded."""

from __future__ import annotations

import os

from test_content import GOOD_ITEM, bank

from soc2_tui import banks, errors
from soc2_tui.banks import cache


def test_cached_load_equals_fresh_load(tmp_path, monkeypatch):
    monkeypatch.setenv("SOC2_TUI_CACHE_DIR", str(tmp_path / "c"))
    first = banks.load_questionnaire()
    assert list((tmp_path / "c").glob("*.pickle"))
    second = banks.load_questionnaire()
    fresh = banks.load_questionnaire(cache=False)
    assert second == fresh == first
    assert (os.stat(tmp_path / "c").st_mode & 0o777) == 0o700


def test_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SOC2_TUI_CACHE_DIR", str(tmp_path / "c"))
    f = tmp_path / "b.yaml"
    f.write_text(bank(), encoding="utf-8")
    assert banks.load_questionnaire(extra=[f]).items["X-01"].title == "Example control"
    f.write_text(bank(GOOD_ITEM.replace("Example control", "Changed")), encoding="utf-8")
    assert banks.load_questionnaire(extra=[f]).items["X-01"].title == "Changed"


def test_problems_are_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("SOC2_TUI_CACHE_DIR", str(tmp_path / "c"))
    f = tmp_path / "b.yaml"
    f.write_text(bank(GOOD_ITEM.replace("CC6.1", "CC6.99")), encoding="utf-8")
    for _ in range(2):
        try:
            banks.load_questionnaire(extra=[f])
        except errors.ContentError as exc:
            assert "CC6.99" in str(exc)
        else:
            raise AssertionError("a broken bank loaded")


def test_broken_or_foreign_cache_entries_are_ignored(tmp_path, monkeypatch):
    d = tmp_path / "c"
    monkeypatch.setenv("SOC2_TUI_CACHE_DIR", str(d))
    banks.load_questionnaire()
    entry = next(d.glob("*.pickle"))
    entry.write_bytes(b"not a pickle")
    assert len(banks.load_questionnaire().items) > 150
    banks.load_questionnaire()  # rewritten
    os.chmod(entry, 0o666)  # writable by others: never loaded
    assert cache.get(entry.stem) is None


def test_cache_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SOC2_TUI_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("SOC2_TUI_NO_CACHE", "1")
    banks.load_questionnaire()
    assert not (tmp_path / "c").exists()
