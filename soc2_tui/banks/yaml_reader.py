"""A safe YAML reader that remembers lines: the only module that imports PyYAML.

It refuses anchors, aliases, merge keys, duplicate keys and files over 2 MiB, and reports every
problem as a `Problem(file, line, message)`. `dump_yaml` writes what `import-bank` makes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from soc2_tui.errors import Problem

MAX_FILE_BYTES = 2 * 1024 * 1024


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _RejectedYAML(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


@functools.cache
def _loader_class() -> type:
    """The safe loader (libyaml's when present) that records lines and refuses aliases.

    Built on first use: a start that finds the banks in the cache never imports PyYAML.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        def construct_object(self, node, deep=False):  # noqa: ANN001
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _RejectedYAML(node.start_mark.line + 1, "anchors and aliases are not allowed")
            return super().construct_object(node, deep=deep)

    def construct_map(loader: Any, node: Any) -> Iterator[LineDict]:
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        yield mapping
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _RejectedYAML(key_node.start_mark.line + 1, "merge keys (<<) are not allowed")
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise _RejectedYAML(line, "mapping keys must be plain scalars")
            if key in mapping:
                raise _RejectedYAML(line, f"duplicate key {key!r}")
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.key_lines[key] = line

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_map)
    return LineLoader


def read_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file safely. Returns (data, problems); data is None on failure."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(name, 1, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except OSError as exc:
        return None, [Problem(name, 0, f"cannot read: {exc.strerror or exc}")]
    import yaml

    try:
        loader = _loader_class()(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except _RejectedYAML as exc:
        return None, [Problem(name, exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, [Problem(name, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(name, 1, "YAML nesting is too deep")]
    return data, []


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML, keys in the order given (what `import-bank` writes). Long
    texts fold at 100 columns; anything `read_yaml` would refuse (aliases) is never written."""
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - the same text twice is written twice
            return True

    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
