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
from yaml.nodes import ScalarNode

from .errors import BuildError
from .paths import not_a_file

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


def _line(event) -> int:
    return event.start_mark.line + 1


# Dates stay strings: a translator writes 2023-07-23 and means text, not a datetime object.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SCALARS = {tag: f for tag, f in yaml.SafeLoader.yaml_constructors.items()
            if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                       "tag:yaml.org,2002:float", "tag:yaml.org,2002:str")}
_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _build(loader: _Loader, drop_aliases: bool = False):
    """The document as LineDict / LineList / scalars, built straight from the parser's events with an
    explicit stack (no recursion, no node tree). Aliases and nesting deeper than MAX_DEPTH stop it at
    once; broken syntax anywhere is reported before the first tag other than the plain ones, key that
    is not a scalar, or duplicate key. None for an empty document."""
    loader.get_event()                                   # stream start
    if loader.check_event(StreamEndEvent):
        return None
    loader.get_event()                                   # document start
    get, resolve, path = loader.get_event, loader.resolve, loader.path
    root, problem = None, None                           # problem: the first mistake in well-formed YAML,
                                                         # raised once the whole document has parsed
    stack: list = []                                     # open LineDict / LineList
    keys: list = []                                      # per open mapping: its pending key (or _NO_KEY)
    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, event.value, event.implicit)
            construct = _SCALARS.get(tag)
            if construct is None:
                problem = problem or BuildError(path, f"YAML tag {tag!r} is not allowed", _line(event), "remove the tag")
                value = object()
            else:
                value = construct(loader, ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                                     style=event.style))
        elif kind is SequenceStartEvent or kind is MappingStartEvent:
            tag = event.tag
            if tag is not None and tag != "!" and tag != (_SEQ if kind is SequenceStartEvent else _MAP):
                problem = problem or BuildError(path, f"YAML tag {tag!r} is not allowed", _line(event), "remove the tag")
            if len(stack) >= MAX_DEPTH:
                raise BuildError(path, f"nested more than {MAX_DEPTH} levels deep", _line(event),
                                 "flatten the structure (no data file needs this depth)")
            if kind is SequenceStartEvent:
                value = LineList()
                value.item_lines = []
            else:
                value = LineDict()
                value.key_lines = {}
            value.line = _line(event)
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            stack.pop()
            keys.pop()
            continue
        elif kind is DocumentEndEvent:
            break
        elif kind is AliasEvent:
            if not drop_aliases:
                raise BuildError(path, "YAML aliases (*name) are not allowed", _line(event),
                                 "write the value out in full")
            value, kind = None, ScalarEvent               # read as nothing: never expanded
        else:                                            # nothing else occurs inside a document
            raise BuildError(path, f"unexpected YAML ({kind.__name__})", _line(event), "")
        if not stack:
            root = value
        else:
            parent = stack[-1]
            if type(parent) is LineList:
                parent.append(value)
                parent.item_lines.append(_line(event))
            elif keys[-1] is _NO_KEY:
                key = value
                if kind is not ScalarEvent:
                    problem = problem or BuildError(path, "a key must be a plain word, not a list or mapping",
                                                    _line(event), "write `key: value`")
                    key = object()
                elif key in parent:
                    problem = problem or BuildError(path, f"duplicate key {key!r}", _line(event),
                                                    "keep one entry per key")
                keys[-1] = key
                parent.key_lines[key] = _line(event)
            else:
                parent[keys[-1]] = value
                keys[-1] = _NO_KEY
        if kind is not ScalarEvent:
            stack.append(value)
            keys.append(_NO_KEY)
    if not loader.check_event(StreamEndEvent):
        raise BuildError(path, "more than one YAML document (a second `---`)", _line(loader.peek_event()),
                         "keep one document per file")
    if problem:
        raise problem
    return root


_NO_KEY = object()


def loads(text: str, path: str | Path = "<yaml>", drop_aliases: bool = False):
    """Parse YAML text into LineDict / LineList / scalars; any problem is a one-line BuildError.

    Our data files refuse aliases; YAML that is not ours (a scrape's front matter) may be read with
    `drop_aliases`, each alias then read as nothing (None), never expanded.

    >>> loads("a: &x [1]\\nb: *x\\nc: 2\\n", drop_aliases=True)
    {'a': [1], 'b': None, 'c': 2}
    """
    path = shown(path)
    if len(text) > MAX_BYTES:
        raise BuildError(path, f"file too large ({len(text.encode('utf-8')) / 1e6:.1f} MB, limit "
                         f"{MAX_BYTES / 1e6:.0f} MB)", None, "split it into smaller files")
    loader = _Loader(text)
    loader.path = path
    try:
        return _build(loader, drop_aliases)
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
    """Read and parse a UTF-8 YAML file (see `loads`); a link or anything but a regular file, or a file
    larger than MAX_BYTES, is refused unread."""
    path = Path(path)
    try:
        what = not_a_file(path)
        if what:
            raise BuildError(shown(path), f"is {what}, not a file", None,
                             "put the file itself here, or delete the link" if "link" in what else "remove or rename it")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BuildError(shown(path), f"file too large ({size / 1e6:.1f} MB, limit {MAX_BYTES / 1e6:.0f} MB)",
                             None, "split it into smaller files")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(shown(path), f"not UTF-8 (byte {exc.start})", None, "save the file as UTF-8") from None
    except FileNotFoundError:
        raise BuildError(shown(path), "no such file", None, "check the name") from None
    except OSError as exc:
        raise BuildError(shown(path), f"cannot read the file ({exc.strerror})", None,
                         "check it is a readable file") from None
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
