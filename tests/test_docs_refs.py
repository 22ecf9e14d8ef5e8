"""Every test the documentation names exists: `tests/test_x.py`, `test_x.py::test_name`, and
`::test_name`, which means the file named last before it in the same document."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
REF = re.compile(r"`(?:tests/)?(test_\w+\.py)?(?:::(\w+))?`")


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def references(text: str) -> list[tuple[str, str | None]]:
    """(file, name or None) for every reference, `::name` resolved to the file named last."""
    found: list[tuple[str, str | None]] = []
    last: str | None = None
    for match in REF.finditer(text):
        file, name = match.groups()
        if file is None and name is None:
            continue
        if file is None:
            assert last is not None, f"`::{name}` before any test file is named"
            file = last
        last = file
        found.append((file, name))
    return found


def test_references_resolve_to_the_file_named_last():
    text = "`test_a.py::one`, `::two`; then `tests/test_b.py` and `::three`; not `x.py` nor `test_c`"
    assert references(text) == [("test_a.py", "one"), ("test_a.py", "two"), ("test_b.py", None),
                                ("test_b.py", "three")]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_test_a_document_names_exists(doc):
    missing = []
    for file, name in references(doc.read_text(encoding="utf-8")):
        path = ROOT / "tests" / file
        if not path.is_file():
            missing.append(f"tests/{file}")
        elif name is not None and name not in _defined(path):
            missing.append(f"tests/{file}::{name}")
    assert not missing, f"{doc.name} names tests that do not exist: {missing}"
