"""The layering and size rules of docs/architecture.md, checked on the source.

import-linter (`lint-imports`, run by .ci/run) checks the layer contracts in pyproject.toml; these
tests add what it does not: the core really loads no UI library at run time, no module imports
itself back through others, and no module or function outgrows the limits.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent / "soc2_tui"
FRONT_ENDS = ("soc2_tui.tui", "soc2_tui.quick")  # the only modules allowed a UI library
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Declarative tables that are long on purpose (none today): "module:function".
LONG_ON_PURPOSE: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
CORE = sorted(m for m in MODULES if not m.startswith(FRONT_ENDS) and m != "soc2_tui.__main__")


def test_the_core_loads_no_ui_library_at_run_time():
    code = ("import importlib, sys\n"
            f"for m in {CORE!r}:\n"
            "    importlib.import_module(m)\n"
            "    bad = [u for u in ('textual', 'questionary', 'prompt_toolkit') if u in sys.modules]\n"
            "    if bad: print(m, bad); break\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "", f"a core module loads a UI library: {out}"
    assert "soc2_tui.store" in CORE and "soc2_tui.cli" in CORE and len(CORE) > 30


def test_score_command_does_not_import_textual(tmp_path):
    db = tmp_path / "a.db"
    code = ("import sys; from soc2_tui.cli import main; "
            f"main(['--db', {str(db)!r}, 'new', 'A']); main(['--db', {str(db)!r}, 'score', 'A']); "
            "main(['--db', {0!r}, 'export', 'A']); ".format(str(db)) +
            "print('LOADED', [m for m in ('textual', 'questionary') if m in sys.modules], file=sys.stderr)")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    assert "LOADED []" in err


def test_only_banks_reads_yaml_and_only_the_store_touches_sqlite():
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if name != "soc2_tui.banks.yaml_reader":
            assert "import yaml" not in text, name
        if not name.startswith("soc2_tui.store"):
            assert "import sqlite3" not in text and "import sqlite_utils" not in text, name


def _imports(name: str, path: Path) -> set[str]:
    """The soc2_tui modules `name` imports, at the top or inside functions (not for type checking)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every back edge of a depth-first walk, as the path that closes it."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return cycles


def test_the_cycle_finder_finds_cycles():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert graph["soc2_tui.cli.commands"] >= {"soc2_tui.startup", "soc2_tui.formats"}  # lazy imports count
    cycles = find_cycles(graph)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_size_limits(name):
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_MODULE_LINES, f"{name} has {text.count(chr(10))} lines"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if f"{name}:{node.name}" not in LONG_ON_PURPOSE:
                assert length <= MAX_FUNCTION_LINES, f"{name}.{node.name} has {length} lines"
