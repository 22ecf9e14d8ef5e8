"""A plain, non-editable `pip install .` finds the question banks from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                        "-q", "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    except subprocess.CalledProcessError:  # hatchling missing: build with isolation
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                       check=True, capture_output=True, timeout=300)
    return next(out.glob("*.whl"))


def test_wheel_carries_content_and_styles(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "soc2_tui/data/criteria.yaml" in names
    assert "soc2_tui/questionnaires/scope/scope.yaml" in names
    assert any(n.startswith("soc2_tui/questionnaires/controls/") for n in names)
    assert any(n.startswith("soc2_tui/questionnaires/policies/") for n in names)
    tcss = [p.relative_to(ROOT).as_posix() for p in (ROOT / "soc2_tui").rglob("*.tcss")]
    for t in tcss:
        assert t in names


def test_installed_package_runs_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("SOC2_TUI_DB", None)
    run = subprocess.run([sys.executable, "-m", "soc2_tui", "validate"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok:") and " controls, " in run.stdout
    check = subprocess.run([sys.executable, "-c", "import soc2_tui, sys; print(soc2_tui.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert check.stdout.startswith(str(target))
