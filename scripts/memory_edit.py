"""Edits to a translation memory (seeds/NAME.en.yml) that cannot touch a neighbour.

`sync` appends skeleton entries for segments the memory lacks; `accept` points a stale entry at the
current Chinese. Both edit the YAML as data with ruamel.yaml's round trip (comments, key order,
quoting and flow style kept), then splice: the new file is the old one with only the edited entry's
lines replaced (or the new entries added after the last), so every byte outside the edit stays as it
was — line endings (LF, CRLF or CR) and a byte-order mark included. The result is parsed again and
must hold exactly the intended data and pass the memory's own checks before it replaces the file,
atomically. Where a hand-made layout cannot be spliced (a flow-style list), the whole document is
written by the round trip instead, after the same checks.
"""
from __future__ import annotations

import codecs
import io
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import BuildError
from .paths import locked_edit

HEADER = """\
# Translation memory for {name}: English, segment by segment.
# Each entry: id (do not change), pairs of Chinese sentence -> English, optional notes
# (translator's notes, rendered as footnotes; `after:` places the mark after an English phrase)
# and optional waive (QA exceptions with a reason). Leave en empty while untranslated.
segments:
"""

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass(frozen=True)
class Source:
    """A memory file as read: its lines with their own endings, and the text ruamel reads (LF)."""
    path: Path
    lines: tuple[str, ...]
    bom: bool

    @property
    def text(self) -> str:
        """The text with every line ending as LF, as ruamel.yaml reads it."""
        return "".join(_body(line) + ("\n" if _ending(line) else "") for line in self.lines)

    @property
    def newline(self) -> str:
        """The file's usual line ending, for lines the edit adds."""
        endings = [_ending(line) for line in self.lines if _ending(line)]
        return max(dict.fromkeys(endings), key=endings.count) if endings else "\n"


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _body(line: str) -> str:
    return line.rstrip("\r\n")


def read(path: Path) -> Source:
    """Read a memory file as it is on disk (endings and BOM kept); a missing file reads as empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data[len(codecs.BOM_UTF8) if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(path, f"not UTF-8 (byte {exc.start})", None, "save the file as UTF-8") from None
    return Source(path, tuple(_LINE.findall(text)), bom)


def _yaml(text: str):
    """A round-trip YAML set to the file's own indentation; never folds long lines."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 30
    try:
        _, indent, offset = load_yaml_guess_indent(text) if text.strip() else (None, 2, 0)
    except Exception:
        indent, offset = 2, 0
    indent = indent or 2
    yaml.indent(mapping=indent, sequence=max(indent, (offset or 0) + 2), offset=offset or 0)
    return yaml


def _load(yaml, text: str, path: Path):
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise BuildError(path, f"broken YAML: {exc.problem or exc}", mark.line + 1 if mark else None,
                         "fix the syntax at that line first") from None
    except YAMLError as exc:
        raise BuildError(path, f"broken YAML: {exc}", None, "fix the syntax first") from None


def _dump(yaml, doc) -> str:
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()


def plain(value):
    """Round-trip data as plain dicts, lists and scalars, for comparing two documents."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _segments(doc, path: Path):
    from ruamel.yaml.comments import CommentedMap
    if not isinstance(doc, CommentedMap) or not isinstance(doc.get("segments") or [], list):
        raise BuildError(path, "expected a mapping with a list under 'segments'", 1, "see seeds/README.md")
    return doc.get("segments")


def like(new: str, old):
    """`new` in the style `old` was written in: quoted, block or plain (ruamel chooses the block
    scalar's chomping from the value, so the value itself is exact)."""
    from ruamel.yaml.scalarstring import ScalarString
    return type(old)(new) if isinstance(old, ScalarString) else new


# ---------------------------------------------------------------- splicing

def _item_regions(text: str, yaml, key: str = "segments") -> list[tuple[int, int]] | None:
    """Line ranges [start, end) of each entry under `key:` (an entry's trailing comments are
    its own), or None if the list is not a block list that lines can be cut along."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode
    root = yaml.compose(text)
    if not isinstance(root, MappingNode):
        return None
    seq = next((v for k, v in root.value if k.value == key), None)
    if not isinstance(seq, SequenceNode) or seq.flow_style:
        return None

    def line_of(index: int) -> int:
        return text.count("\n", 0, index)

    def dash_line(node) -> int:
        j = node.start_mark.index - 1
        while j >= 0 and text[j] in " \t\n":
            j -= 1
        return line_of(j if j >= 0 and text[j] == "-" else node.start_mark.index)

    starts = [dash_line(item) for item in seq.value]
    end = seq.end_mark.index
    last = line_of(end) + (1 if end and end == len(text) and not text.endswith("\n") else 0)
    regions = list(zip(starts, starts[1:] + [last]))
    if any(b <= a for a, b in regions) or (regions and regions[-1][1] > text.count("\n") + 1):
        return None
    return regions


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _with_ending(line: str, newline: str) -> str:
    return _body(line) + (newline if _ending(line) else "")


def _splice(source: Source, old_regions, new_text: str, new_regions, pick: int | None) -> list[str] | None:
    """The old lines with entry `pick` replaced by its lines in the new dump; with pick=None, the
    new dump's entries after the old ones are added after the last old entry (at the end of the file
    when only comments follow the list). None if the two documents do not line up."""
    if old_regions is None or new_regions is None:
        return None
    new_lines = _lines(new_text)
    old_lines = list(source.lines)
    if pick is not None:
        if len(new_regions) != len(old_regions):
            return None
        (a, b), (c, d) = old_regions[pick], new_regions[pick]
        return old_lines[:a] + [_with_ending(x, source.newline) for x in new_lines[c:d]] + old_lines[b:]
    if not old_regions or len(new_regions) <= len(old_regions):
        return None
    tail_start = old_regions[-1][1]
    if any(_body(x).strip() and not _body(x).lstrip().startswith("#") for x in old_lines[tail_start:]):
        at = tail_start                   # other keys follow the list: the new entries go right after it
    else:
        at = len(old_lines)               # only comments after the list: they stay where they are
    if at and not _ending(old_lines[at - 1]):
        old_lines[at - 1] += source.newline
    c, d = new_regions[len(old_regions)][0], new_regions[-1][1]
    return old_lines[:at] + [_with_ending(x, source.newline) for x in new_lines[c:d]] + old_lines[at:]


def _render(source: Source, doc, yaml, pick: int | None, key: str = "segments", extra: tuple[str, ...] = ()) -> str:
    """The edited document as the file's new text: spliced if the layout allows (or one of the `extra`
    texts the caller spliced itself), checked either way."""
    new_text = _dump(yaml, doc)
    expected = plain(doc)
    candidates = list(extra)
    try:
        old_regions = _item_regions(source.text, yaml, key)
        new_regions = _item_regions(new_text, yaml, key)
    except Exception:
        old_regions = new_regions = None
    spliced = _splice(source, old_regions, new_text, new_regions, pick)
    if spliced is not None:
        candidates.append("".join(spliced))
    candidates.append("".join(_with_ending(x, source.newline) for x in _lines(new_text)))
    for text in candidates:
        try:
            again = plain(_yaml(text).load(text.replace("\r\n", "\n").replace("\r", "\n")))
        except Exception:
            continue
        if again == expected:
            return text
    raise BuildError(source.path, "the edit could not be written back faithfully", None,
                     "edit the entry by hand (the file was not changed)")


# ---------------------------------------------------------------- writing

def write(path: Path, text: str, bom: bool = False, check=None) -> None:
    """Replace `path` atomically with `text` (UTF-8) after checking it with `check` (a loader that
    raises BuildError; by default the translation memory's): a temporary file beside it, flushed to
    disk, then renamed over it. On any error the temporary file is removed, the original is
    untouched, and the error names the real file."""
    if check is None:
        from .align import load_memory as check
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        except OSError:
            pass
        try:
            check(tmp)
        except BuildError as exc:
            raise replace(exc, path=path, message=f"{exc.message} (after the edit; the file was not changed)") from None
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


# ---------------------------------------------------------------- the two edits

def skeleton(seg) -> dict:
    """A new, untranslated entry for a segment: its id and one pair per sentence with en empty."""
    from .chinese import strip_marks
    return {"id": seg.id, "pairs": [{"zh": strip_marks(s), "en": ""} for s in seg.sentences]}


@locked_edit
def sync(path: Path, segments, seed_name: str) -> int:
    """Append entries for segments the memory lacks; nothing already there changes. Returns how many."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from .align import align, load_memory
    alignment = align(segments, load_memory(path))
    missing = [a.segment for a in alignment.items if a.entry is None]
    if not missing:
        return 0
    source = read(path)
    if not source.text.strip():
        source = Source(path, tuple(_lines(HEADER.format(name=seed_name))), source.bom)
    yaml = _yaml(source.text)
    doc = _load(yaml, source.text, path)
    if doc is None:
        doc = CommentedMap()
    seq = _segments(doc, path)
    if seq is None:
        seq = doc["segments"] = CommentedSeq()
    for seg in missing:
        entry = CommentedMap(skeleton(seg))
        entry["pairs"] = CommentedSeq(CommentedMap(p) for p in entry["pairs"])
        seq.append(entry)
    write(path, _render(source, doc, yaml, None), source.bom)
    return len(missing)


@locked_edit
def accept(path: Path, item) -> str:
    """The translator has checked a stale entry: point it at the current Chinese (its id and its
    sentences' zh), leaving its English, notes and everything else in the file as they are.
    Returns the new id. Requires the same number of sentences (otherwise re-translate)."""
    from .chinese import strip_marks
    from .segment import segment_id
    entry = item.entry
    if item.status != "stale" or entry is None:
        raise BuildError(path, f"{item.segment.id} is {item.status}, not stale", entry.line if entry else None,
                         "only stale entries can be accepted")
    new_zh = [strip_marks(s) for s in item.segment.sentences]
    if len(new_zh) != len(entry.zh):
        raise BuildError(path, f"{entry.id}: the Chinese now has {len(new_zh)} sentences, the entry {len(entry.zh)}",
                         entry.line, "edit the pairs by hand")
    new_id = segment_id(item.segment.kind, item.segment.plain)
    source = read(path)
    yaml = _yaml(source.text)
    doc = _load(yaml, source.text, path)
    seq = _segments(doc, path) or []
    index = next((i for i, e in enumerate(seq) if isinstance(e, dict) and str(e.get("id")) == entry.id), None)
    if index is None:
        raise BuildError(path, f"no entry {entry.id} in the file", None,
                         "the file changed since it was read; run the command again")
    target = seq[index]
    pairs = target.get("pairs") or []
    if len(pairs) != len(new_zh):
        raise BuildError(path, f"{entry.id}: the file's entry has {len(pairs)} pairs, expected {len(new_zh)}",
                         entry.line, "the file changed since it was read; run the command again")
    target["id"] = like(new_id, target["id"])
    if new_id != entry.id:          # old links to the paragraph still land here (the page redirects them)
        from ruamel.yaml.comments import CommentedSeq
        was = CommentedSeq(dict.fromkeys([*getattr(entry, "was", ()), entry.id]))
        was.fa.set_flow_style()
        if "was" in target:
            target["was"] = was
        else:
            target.insert(list(target.keys()).index("id") + 1, "was", was)
    for pair, zh in zip(pairs, new_zh):
        pair["zh"] = like(zh, pair.get("zh"))
    write(path, _render(source, doc, yaml, index), source.bom)
    return new_id


# ---------------------------------------------------------------- any side file's list

def append_to_list(path: Path, key: str, make, check) -> list:
    """Add entries to the block list under `key` of a YAML mapping file, touching nothing else.

    `make(existing)` gets the list as it stands (plain data, [] when there is none) and returns the
    mappings to add. They are spliced in after the list's last entry; when the file has no `key`
    yet, `key:` and the entries are added at its end. Every other byte — comments, quoting, other
    keys, the line endings (LF, CRLF or CR) and a byte-order mark — stays as it was. The new text is
    parsed again and must hold exactly the intended data, then `check` (a loader raising BuildError)
    must accept it before it atomically replaces the file. Returns the entries added.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    source = read(path)
    yaml = _yaml(source.text)
    doc = _load(yaml, source.text, path) if source.text.strip() else None
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise BuildError(path, "expected a mapping at the top of the file", 1, "see seeds/README.md")
    seq = doc.get(key)
    if seq is not None and not isinstance(seq, list):
        raise BuildError(path, f"'{key}' must be a list", None, f"write {key}: as a list")
    entries = list(make(plain(seq) if seq is not None else []))
    if not entries:
        return []
    items = [CommentedMap(e) for e in entries]
    extra: tuple[str, ...] = ()
    if key not in doc:
        # the list is new: its lines go after everything the file already has
        added = _dump(_yaml(""), {key: [dict(e) for e in entries]})
        old = "".join(source.lines)
        if old and not _ending(source.lines[-1]):
            old += source.newline
        extra = (old + "".join(_with_ending(x, source.newline) for x in _lines(added)),)
        doc[key] = CommentedSeq(items)
    elif seq is None:
        doc[key] = CommentedSeq(items)
    else:
        seq.extend(items)
    write(path, _render(source, doc, yaml, None, key, extra), source.bom, check)
    return entries
