"""YAML for people: safe loading that remembers line numbers and refuses duplicate keys.

Every mapping loaded here is a `LineDict`, a dict that also knows the line it started on
(`.line`) and the line of each key (`.key_lines`), so validators can point at the exact line.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import BuildError


class LineDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0


# libyaml's C parser when present (it still reports line marks), the pure-Python one otherwise.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    path = "<yaml>"


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise BuildError(loader.path, f"duplicate key {key!r}", key_node.start_mark.line + 1,
                             "keep one entry per key")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: a translator writes 2023-07-23 and means text, not a datetime object.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def loads(text: str, path: str | Path = "<yaml>"):
    loader = _Loader(text)
    loader.path = str(path)
    try:
        return loader.get_single_data()
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
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(path, f"not UTF-8 (byte {exc.start})", None, "save the file as UTF-8") from None
    return loads(text, path)


def expect(cond: bool, path, line, message: str, remedy: str = "") -> None:
    if not cond:
        raise BuildError(path, message, line, remedy)




class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
_Dumper.add_representer(LineList, yaml.representer.SafeRepresenter.represent_list)


def dump(data) -> str:
    """Readable, stable YAML: keys in the given order, unicode as is, wide lines."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def kind(value) -> str:
    """A YAML word for a value's type, for error messages: list, mapping, number, true/false, text."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "text"
