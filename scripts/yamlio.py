"""YAML for people: safe, bounded loading that remembers line numbers and refuses duplicate keys.

Every mapping loaded here is a `LineDict`, a dict that also knows the line it started on (`.line`)
and the line of each key (`.key_lines`); every list is a `LineList` that knows its own line and the
line of each item (`.item_lines`). Validators (scripts/schema) point at the exact line with them.

Data files are written by hand or come from elsewhere, so loading is bounded: a file larger than
`MAX_BYTES`, nesting deeper than `MAX_DEPTH`, and aliases (`*name`, the way to a "billion laughs"
that expands ten lines into gigabytes) are refused with one line naming file and line. The document
is composed from the parser's events without recursion, so no input reaches Python's recursion limit.

    >>> data = loads("title: {zh: 标题, en: Title}\\nnotes:\\n  - one\\n  - two\\n")
    >>> data.line_of("notes"), data["notes"].item_lines
    (2, [3, 4])
    >>> loads("a: &x [1]\\nb: *x\\n", "x.yml")
    Traceback (most recent call last):
    scripts.errors.BuildError: x.yml:2: YAML aliases (*name) are not allowed — write the value out in full
"""
from __future__ import annotations

from pathlib import Path

import yaml
from yaml.events import (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import BuildError

MAX_BYTES = 4_000_000     # the largest data file today is under 100 KB; a memory for a 2 MB seed fits
MAX_DEPTH = 24            # the deepest file today nests 6 levels (figure -> series -> points -> label)


class LineDict(dict):
    """A mapping from YAML that knows its line and the line of each key."""
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        """The line `key:` stands on (the mapping's own line if the key is absent)."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list from YAML that knows its line and the line of each item."""
    line: int = 0
    item_lines: list

    def line_at(self, index: int) -> int:
        """The line item `index` starts on."""
        lines = getattr(self, "item_lines", None) or []
        return lines[index] if 0 <= index < len(lines) else self.line


def shown(path) -> Path | str:
    """The path as a person types it: relative to the working directory when inside it."""
    if not isinstance(path, Path):
        return path
    try:
        return path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except (ValueError, OSError):
        return path


# libyaml's C parser when present (it still reports line marks), the pure-Python one otherwise.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    path: Path | str = "<yaml>"


def _line(node_or_event) -> int:
    return node_or_event.start_mark.line + 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = _line(node)
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise BuildError(loader.path, "a key must be a plain word, not a list or mapping", _line(key_node),
                             "write `key: value`")
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise BuildError(loader.path, f"duplicate key {key!r}", _line(key_node), "keep one entry per key")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = _line(key_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(node)
    result.item_lines = [_line(child) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: a translator writes 2023-07-23 and means text, not a datetime object.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _tag(loader: _Loader, kind, event, value=None) -> str:
    if event.tag is None or event.tag == "!":
        return loader.resolve(kind, value, event.implicit)
    return event.tag


def _compose(loader: _Loader):
    """The document's node tree, built from parser events with an explicit stack (no recursion), refusing
    aliases and nesting deeper than MAX_DEPTH; None for an empty document."""
    loader.get_event()                                   # stream start
    if loader.check_event(StreamEndEvent):
        return None
    loader.get_event()                                   # document start
    root, stack, keys = None, [], []                     # keys: a mapping's pending key node, per level
    while True:
        event = loader.get_event()
        if isinstance(event, AliasEvent):
            raise BuildError(loader.path, "YAML aliases (*name) are not allowed", _line(event),
                             "write the value out in full")
        if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            stack.pop().end_mark = event.end_mark
            keys.pop()
            continue
        if isinstance(event, DocumentEndEvent):
            break
        if isinstance(event, ScalarEvent):
            node = ScalarNode(_tag(loader, ScalarNode, event, event.value), event.value, event.start_mark,
                              event.end_mark, style=event.style)
        elif isinstance(event, SequenceStartEvent):
            node = SequenceNode(_tag(loader, SequenceNode, event), [], event.start_mark, None,
                                flow_style=event.flow_style)
        elif isinstance(event, MappingStartEvent):
            node = MappingNode(_tag(loader, MappingNode, event), [], event.start_mark, None,
                               flow_style=event.flow_style)
        else:                                            # nothing else occurs inside a document
            raise BuildError(loader.path, f"unexpected YAML ({type(event).__name__})", _line(event), "")
        if not stack:
            root = node
        elif isinstance(stack[-1], SequenceNode):
            stack[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            stack[-1].value.append((keys[-1], node))
            keys[-1] = None
        if isinstance(node, (SequenceNode, MappingNode)):
            if len(stack) >= MAX_DEPTH:
                raise BuildError(loader.path, f"nested more than {MAX_DEPTH} levels deep", _line(event),
                                 "flatten the structure (no data file needs this depth)")
            stack.append(node)
            keys.append(None)
    if not loader.check_event(StreamEndEvent):
        raise BuildError(loader.path, "more than one YAML document (a second `---`)", _line(loader.peek_event()),
                         "keep one document per file")
    return root


def loads(text: str, path: str | Path = "<yaml>"):
    """Parse YAML text into LineDict / LineList / scalars; any problem is a one-line BuildError."""
    path = shown(path)
    if len(text) > MAX_BYTES:
        raise BuildError(path, f"file too large ({len(text.encode('utf-8')) / 1e6:.1f} MB, limit "
                         f"{MAX_BYTES / 1e6:.0f} MB)", None, "split it into smaller files")
    loader = _Loader(text)
    loader.path = path
    try:
        node = _compose(loader)
        return None if node is None else loader.construct_document(node)
    except BuildError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise BuildError(path, f"broken YAML: {exc.problem or exc}", line,
                         "fix the syntax at that line (indentation, quotes, colons)") from None
    except yaml.YAMLError as exc:
        raise BuildError(path, f"broken YAML: {exc}", None, "fix the file's syntax") from None
    finally:
        loader.dispose()


def load(path: str | Path):
    """Read and parse a UTF-8 YAML file (see `loads`); larger than MAX_BYTES is refused unread."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BuildError(shown(path), f"file too large ({size / 1e6:.1f} MB, limit {MAX_BYTES / 1e6:.0f} MB)",
                             None, "split it into smaller files")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(shown(path), f"not UTF-8 (byte {exc.start})", None, "save the file as UTF-8") from None
    except IsADirectoryError:
        raise BuildError(shown(path), "a directory, not a file", None, "remove or rename it") from None
    return loads(text, path)


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
_Dumper.add_representer(LineList, yaml.representer.SafeRepresenter.represent_list)


def dump(data) -> str:
    """Readable, stable YAML: keys in the given order, unicode as is, wide lines."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def kind(value) -> str:
    """A YAML word for a value's type, for error messages: list, mapping, number, true/false, text, nothing.

    >>> [kind(v) for v in (["a"], {"a": 1}, 2, True, "x", None)]
    ['list', 'mapping', 'number', 'true/false', 'text', 'nothing']
    """
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "text"
