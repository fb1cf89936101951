"""Hostile input (tests/cases/hostile.yml): odd files in seeds/ stop the build with one line; markup
from any field shows as text in every page, feed and export; memory edits touch only their entry."""
from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from string import Template

import pytest
import yaml

from scripts import memory_edit
from scripts.align import Aligned, align, load_memory
from scripts.errors import BuildError
from scripts.html import visible
from scripts.segment import Segment, segment_id

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "hostile.yml").read_text(encoding="utf-8"))


def cli(root: Path, *args, timeout=120):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "scripts", "--root", str(root), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def mkdocs_build(project: Path, timeout=300):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    return subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=timeout)


def tree(root: Path) -> dict:
    """Every regular file under docs/ and data/ with its bytes (links, pipes and folders not followed)."""
    out = {}
    for d in ("docs", "data"):
        for p in (root / d).rglob("*"):
            if not p.is_symlink() and p.is_file():
                out[p.relative_to(root)] = p.read_bytes()
    return out


# ---------------------------------------------------------------- seeds/ holds regular files only

def make_seed_file(seeds: Path, case: dict) -> Path:
    path = seeds / case["file"]
    if case.get("replace"):
        path.unlink()
    if "symlink" in case:
        path.symlink_to(case["symlink"])
    elif case.get("directory"):
        path.mkdir()
    elif case.get("fifo"):
        os.mkfifo(path)
    else:
        path.write_text(case["text"] * case.get("times", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES["seed_files"], ids=[c["name"] for c in CASES["seed_files"]])
def test_odd_seed_file_stops_the_build_with_one_line(project, case):
    make_seed_file(project / case.get("dir", "seeds"), case)
    before = tree(project)
    result = cli(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    shown_name = repr(case["file"])[1:-1]
    assert shown_name in lines[0] and case["expect"] in lines[0], lines[0]
    assert " — " in lines[0]                        # a remedy follows
    assert tree(project) == before                 # nothing written
    assert not (project / "docs" / "articles").exists()


@pytest.mark.parametrize("name", ["named pipe", "symlink out of seeds/"])
def test_mkdocs_build_stops_on_odd_seed_files_without_hanging(project, name):
    """The hook digests the inputs before anything else: a pipe must not block it, a link not be read."""
    case = next(c for c in CASES["seed_files"] if c["name"] == name)
    make_seed_file(project / "seeds", case)
    result = mkdocs_build(project, timeout=120)
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if line.strip()]
    assert result.returncode != 0 and "Traceback" not in output, output
    assert len(lines) == 1 and lines[0].startswith("Build stopped:") and case["expect"] in lines[0], output
    assert not (project / "site").exists() or not (project / "site" / "articles").exists()


@pytest.mark.parametrize("case", CASES["refused"], ids=[c["name"] for c in CASES["refused"]])
def test_refused_value_stops_the_build_with_one_line(project, case):
    apply_case(project, case)
    before = tree(project)
    result = cli(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and case["set"]["file"] in lines[0] and case["expect"] in lines[0], result.stderr
    assert tree(project) == before


# ---------------------------------------------------------------- markup shows as text

class Page(HTMLParser):
    """Tag and attribute names, what a reader sees (text run together, and attribute values), and
    anything live that names "evil"."""

    URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "srcset"}
    VOID = {"meta", "link", "img", "br", "hr", "input", "source", "col", "wbr"}

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.values: list[str] = []
        self.data: list[str] = []
        self.live: list[str] = []
        self.stack: list[str] = []
        self.title = ""                  # the <title>, and the meta description
        self.description = ""
        self.data_island = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.description = dict(attrs).get("content") or ""
        if "evil" in tag:
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            self.attrs.add(name)
            self.values.append(value)
            if "evil" in name or name.startswith("on"):
                self.live.append(f"<{tag} {name}>")
            if name in self.URL_ATTRS and value.strip().lower().startswith(("evil", "javascript:", "data:", "vbscript:")):
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag == "script":             # data islands (type application/json) are inert text to the browser
            self.data_island = (dict(attrs).get("type") or "").lower() == "application/json"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("script", "style"):
            if "evil" in data and self.stack[-1] == "script" and not self.data_island:
                self.live.append(f"<script>{data[:40]}")
            return
        if self.stack and self.stack[-1] == "title":
            self.title += data
        self.data.append(data)

    def handle_comment(self, data):
        if "evil" in data:
            self.live.append(f"<!--{data[:40]}-->")

    def shows(self, value: str) -> bool:
        """The value is there to read, in the text or an attribute (some loaders fold whitespace,
        str.split()'s, before the page shows characters HTML cannot carry as U+FFFD: either order)."""
        text = norm("".join(self.data))
        values = [norm(v) for v in self.values]
        return any(want in text or any(want in v for v in values) for want in readings(value))


def norm(s: str) -> str:
    return " ".join(visible(s).split())


def readings(value: str) -> set[str]:
    """The value as it may be shown, whitespace folded: as is, or as loaders that strip or fold
    whitespace (str.strip's and str.split's, which count some control characters) leave it."""
    return {norm(value), norm(value.strip()), norm(" ".join(value.split()))}


def set_path(data, path, value):
    """Set data[path…] = value; a list item may be chosen as `id=…`."""
    *parents, last = path
    for key in parents:
        data = pick(data, key)
    if isinstance(last, str) and last.startswith("id="):
        raise ValueError("the last key names a field")
    data[last] = value


def pick(data, key):
    if isinstance(key, str) and key.startswith("id="):
        return next(item for item in data if item.get("id") == key[3:])
    return data[key]


def apply_case(project: Path, case: dict) -> None:
    target = case["set"]
    if "seed" in target:
        (project / "seeds" / target["seed"]).write_text(target["text"], encoding="utf-8")
        return
    path = project / target["file"]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    set_path(data, target["path"], case["value"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One project with every markup case applied, built with a real `mkdocs build`."""
    from conftest import make_project
    project = make_project(tmp_path_factory.mktemp("hostile") / "proj")
    for case in CASES["markup"]:
        apply_case(project, case)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def pages(site: Path) -> dict[str, Page]:
    return {str(p.relative_to(site)): Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def site_pages(hostile_site):
    return pages(hostile_site)


def test_no_live_markup_in_any_page_or_search_entry(hostile_site, site_pages):
    live = {name: page.live for name, page in site_pages.items() if page.live}
    assert not live
    # Material's search renders titles and texts of its index as HTML
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            assert not Page(doc[key]).live, (doc["location"], doc[key][:200])


@pytest.mark.parametrize("case", CASES["markup"], ids=[c["name"] for c in CASES["markup"]])
def test_value_shows_literally(hostile_site, site_pages, case):
    value = norm(case["value"])
    for where in case.get("shows_on", []):
        targets = site_pages.items() if where == "*" else [(where, site_pages[where])]
        for name, page in targets:
            assert page.shows(case["value"]), (name, value)
            if html.escape(value) != value:
                assert not page.shows(html.escape(value)), (name, "double-escaped")
    if "title_of" in case:
        page = site_pages[case["title_of"]]
        assert norm(page.title).startswith(value), page.title
        assert value in norm(page.description), page.description
    if "json" in case:
        strings = list(json_strings(json.loads((hostile_site / case["json"]).read_text(encoding="utf-8"))))
        assert any(case["value"] in s for s in strings)
    if "csv" in case:
        cells = [c for row in csv.reader(io.StringIO((hostile_site / case["csv"]).read_text(encoding="utf-8")))
                 for c in row]
        raw = case["value"]
        hit = [c for c in cells if norm(c.removeprefix("'")) == norm(raw)]
        assert hit, raw
        if raw.startswith(("=", "+", "-", "@")):
            assert all(c.startswith("'") for c in hit)
    if "anki" in case:
        fields = anki_fields((hostile_site / case["anki"]).read_text(encoding="utf-8"))
        assert any(value in norm(html.unescape(f)) for f in fields)


def json_strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from json_strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from json_strings(v)


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def is_formula(cell: str) -> bool:
    """A cell a spreadsheet would run: = + - @ after any blanks, or a leading tab or carriage return
    (a plain number is a number)."""
    try:
        float(cell)
        return False
    except ValueError:
        return cell.startswith(("\t", "\r")) or re.sub(r"^[\s\x00]+", "", cell).startswith(("=", "+", "-", "@"))


def anki_fields(deck: str) -> list[str]:
    """Every field of an Anki deck file; each note has the number of fields its header declares."""
    lines = deck.splitlines()
    columns = int(next(line for line in lines if line.startswith("#tags column:")).split(":")[1])
    notes = lines[next(i for i, line in enumerate(lines) if not line.startswith("#")):]
    assert all(len(note.split("\t")) == columns and not note.startswith("#") for note in notes), deck[:300]
    return [field for note in notes for field in note.split("\t")]


_BIBTEX_COMMANDS = {"textbackslash", "textbraceleft", "textbraceright", "textasciicircum", "textasciitilde"}


def bibtex_safe(entry: str) -> bool:
    """Braces balanced in every prefix, and no LaTeX command but the ones that print a character."""
    depth = 0
    for ch in entry:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and set(re.findall(r"\\([A-Za-z]+)", entry)) <= _BIBTEX_COMMANDS


def check_exports(files: dict) -> None:
    """Every export inert: no CSV cell a spreadsheet would run, Anki fields with only our own tags,
    valid JSON with safe BibTeX, a feed that parses as XML with no element from the data."""
    import xml.etree.ElementTree as ET
    for rel, text in sorted(files.items()):
        if rel.endswith(".csv"):
            assert not [c for c in csv_cells(text) if is_formula(c)], rel
        elif rel.endswith(".tsv"):
            for field in anki_fields(text):
                page = Page(field)
                assert page.tags <= {"b", "br", "i"} and not page.live, (rel, field)
        elif rel.endswith(".json"):
            data = json.loads(text)
            if rel.startswith("data/cite/"):
                entries = [data["article"]["bibtex"]] + [p["bibtex"] for p in data["paragraphs"].values()]
                assert all(bibtex_safe(e) for e in entries), (rel, [e for e in entries if not bibtex_safe(e)][:1])
        elif rel.endswith(".xml"):
            root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
            assert not [el.tag for el in root.iter() if "evil" in el.tag], rel


def exports(site: Path) -> dict:
    return {str(p.relative_to(site)): p.read_bytes() if p.suffix == ".xml" else p.read_text(encoding="utf-8")
            for p in sorted(site.rglob("*")) if p.suffix in (".csv", ".tsv", ".json", ".xml")
            and "search" not in p.parts and p.name != "sitemap.xml"}


def test_exports_are_inert(hostile_site):
    files = exports(hostile_site)
    assert "feed.xml" in files and any(rel.startswith("data/cite/") for rel in files)
    assert any(rel.startswith("data/vocabulary/") and rel.endswith(".tsv") for rel in files)
    check_exports(files)


def test_figures_draw_hostile_text_as_text(hostile_site):
    """A "$…$" in a title is drawn as dollar signs: the figure exists and no mathtext error stopped it."""
    import xml.etree.ElementTree as ET
    for name in ("ashare-2023-drawdowns.svg", "timeline.svg"):
        root = ET.fromstring((hostile_site / "assets" / "figures" / name).read_bytes())
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert not tags & {"script", "foreignObject", "x-evil", "b"}, (name, tags)


# ---------------------------------------------------------------- memory edits touch only their entry

def seg(kind: str, *sentences: str) -> Segment:
    text = "".join(sentences)
    return Segment(segment_id(kind, text), kind, text, tuple(sentences), 1)


A = seg("paragraph", "第一句。", "第二句。")
B = seg("paragraph", "另一段的新文字。")
C = seg("heading", "小标题")
B_OLD_ID = segment_id("paragraph", "另一段的旧文字。")
IDS = {"A": A.id, "B": B_OLD_ID, "C": C.id}


def layout(case: dict) -> tuple[bytes, bytes, bytes]:
    parts = [Template(case[k]).substitute(IDS) for k in ("before", "entry", "after")]
    if case.get("no_final_newline"):
        parts[2] = parts[2].rstrip("\n")
    newline = "\r\n" if case.get("crlf") else "\r" if case.get("cr") else "\n"
    out = [p.replace("\n", newline).encode("utf-8") for p in parts]
    if case.get("bom"):
        out[0] = b"\xef\xbb\xbf" + out[0]
    return out[0], out[1], out[2]


def parsed(data: bytes):
    return memory_edit.plain(memory_edit._yaml("").load(data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")))


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != "x.en.yml")


@pytest.mark.parametrize("case", CASES["memory_edits"], ids=[c["name"] for c in CASES["memory_edits"]])
def test_accept_edits_only_its_entry(tmp_path, case):
    before, entry, after = layout(case)
    path = tmp_path / "x.en.yml"
    path.write_bytes(before + entry + after)
    old = parsed(path.read_bytes())
    result = align((A, B, C), load_memory(path))
    assert [i.status for i in result.items] == ["translated", "stale", "translated"]
    new_id = memory_edit.accept(path, result.items[1])
    assert new_id == B.id
    data = path.read_bytes()
    assert data.startswith(before) and data.endswith(after), data.decode("utf-8", "replace")
    new = parsed(data)
    assert new["segments"][0] == old["segments"][0] and new["segments"][2] == old["segments"][2]
    edited, was = new["segments"][1], old["segments"][1]
    assert edited["id"] == B.id and [p["zh"] for p in edited["pairs"]] == ["另一段的新文字。"]
    assert [p["en"] for p in edited["pairs"]] == [p["en"] for p in was["pairs"]]
    assert edited.get("notes") == was.get("notes")
    assert [k for k in edited if k != "was"] == list(was)      # key order kept; `was:` added after the id
    keys = list(edited)
    assert edited["was"] == [was["id"]] and keys[keys.index("id") + 1] == "was"   # old links still land
    middle = data[len(before):len(data) - len(after)]
    newline = b"\r\n" if case.get("crlf") else b"\r" if case.get("cr") else b"\n"
    assert b"\r" not in middle.replace(newline, b"") and b"\n" not in middle.replace(newline, b"")   # its line endings
    for quote in ("'", '"'):                                      # the id keeps its quotes
        if f"id: {quote}$B" in case["entry"]:
            assert f"id: {quote}{B.id}{quote}".encode() in middle
    after_accept = align((A, B, C), load_memory(path))
    assert [i.status for i in after_accept.items] == ["translated", "translated", "translated"]
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("case", CASES["memory_edits"], ids=[c["name"] for c in CASES["memory_edits"]])
def test_sync_appends_and_changes_nothing_else(tmp_path, case):
    before, entry, after = layout(case)
    path = tmp_path / "x.en.yml"
    original = before + entry + after
    path.write_bytes(original)
    D = seg("paragraph", "新加的一段。")
    assert memory_edit.sync(path, (A, B, C, D), "x.txt") == 1
    data = path.read_bytes()
    assert data.startswith(original)
    old, new = parsed(original), parsed(data)
    assert new["segments"][:3] == old["segments"] and new["segments"][3] == {
        "id": D.id, "pairs": [{"zh": "新加的一段。", "en": ""}]}
    if case.get("crlf"):
        assert data.count(b"\n") == data.count(b"\r\n")
    assert memory_edit.sync(path, (A, B, C, D), "x.txt") == 0 and path.read_bytes() == data
    assert leftovers(tmp_path) == []


def test_sync_writes_a_new_memory_with_its_header(tmp_path):
    path = tmp_path / "x.en.yml"
    assert memory_edit.sync(path, (A, C), "x.txt") == 2
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Translation memory for x.txt") and [e.id for e in load_memory(path).entries] == [A.id, C.id]


def test_accept_unknown_entry_changes_nothing(tmp_path):
    case = CASES["memory_edits"][0]
    path = tmp_path / "x.en.yml"
    path.write_bytes(b"".join(layout(case)))
    before = path.read_bytes()
    stale = align((A, B, C), load_memory(path)).items[1]
    ghost = Aligned(stale.segment, stale.entry.__class__("p-00000000", stale.entry.zh, stale.entry.en), "stale")
    with pytest.raises(BuildError) as exc:
        memory_edit.accept(path, ghost)
    assert "no entry p-00000000" in str(exc.value) and str(path) in str(exc.value)
    assert path.read_bytes() == before and leftovers(tmp_path) == []


def test_a_failed_edit_names_the_real_file_and_leaves_no_temp_file(tmp_path):
    """After the edit the stale entry would take an id another entry already has: refused, nothing written."""
    case = CASES["memory_edits"][0]
    path = tmp_path / "x.en.yml"
    before, entry, after = layout(case)
    clash = Template("- id: $B\n  pairs:\n  - zh: 已有的文字。\n    en: Taken.\n").substitute(B=B.id).encode()
    path.write_bytes(before + entry + after + clash)
    memory = load_memory(path)
    stale = Aligned(Segment(B_OLD_ID, B.kind, B.text, B.sentences, 1), memory.by_id()[B_OLD_ID], "stale")
    original = path.read_bytes()
    with pytest.raises(BuildError) as exc:
        memory_edit.accept(path, stale)
    message = str(exc.value)
    assert message.startswith(f"{path}:") and "duplicate segment id" in message and ".tmp" not in message
    assert path.read_bytes() == original and leftovers(tmp_path) == []


def test_cli_accept_with_a_quoted_id_and_unknown_id(project):
    """Through the command line, on a real article: a quoted id of a stale entry is accepted (this
    crashed with StopIteration); an unknown id is one line; nothing else in the file changes."""
    tm = project / "seeds" / "000_171d0b4a7f7a72ca.en.yml"
    text = tm.read_text(encoding="utf-8")
    old_zh = "然而，热闹异常的市场背后也有着残酷现实"
    assert old_zh in text and "- id: p-784b6103\n" in text
    edited = text.replace("- id: p-784b6103\n", '- id: "p-784b6103"\n').replace(old_zh, "然而，热闹的市场背后也有着残酷的现实")
    tm.write_text(edited, encoding="utf-8")
    result = cli(project, "accept", "000", "p-784b6103")
    assert result.returncode == 0, result.stderr
    after = tm.read_text(encoding="utf-8")
    start = edited.index('- id: "p-784b6103"')
    end = edited.index("- id:", start + 5)
    assert after.startswith(edited[:start]) and after.endswith(edited[end:])
    assert old_zh in after and '- id: "p-' in after[start:]
    unknown = cli(project, "accept", "000", "p-00000000")
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1
    assert "no segment p-00000000" in unknown.stderr and tm.read_text(encoding="utf-8") == after
    assert sorted(p.name for p in (project / "seeds").iterdir() if p.name.endswith(".tmp")) == []


def test_cli_sync_keeps_crlf(project):
    tm = project / "seeds" / "000_171d0b4a7f7a72ca.en.yml"
    crlf = tm.read_bytes().replace(b"\n", b"\r\n")
    tm.write_bytes(crlf)
    seed = project / "seeds" / "000_171d0b4a7f7a72ca.txt"
    seed.write_bytes(seed.read_bytes() + "\n\n新加的一段，供同步测试。\n".encode("utf-8"))
    result = cli(project, "sync", "000")
    assert result.returncode == 0 and "1 new segment" in result.stdout, result.stdout + result.stderr
    data = tm.read_bytes()
    assert data.startswith(crlf) and data.count(b"\n") == data.count(b"\r\n")


# ---------------------------------------------------------------- reading takes linear time

_READ = """
import sys
from pathlib import Path
from scripts import clean
from scripts.errors import BuildError
from scripts.ingest import Seed
text = Path(sys.argv[1]).read_text(encoding="utf-8")
try:
    clean.infer_metadata(Seed(Path("seeds") / sys.argv[2], text), clean.load_rules(Path("data/cleaning.yml")))
except BuildError as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
"""


def _read_within(tmp: Path, name: str, text: str, seconds: float) -> None:
    """Read a seed as the clean stage does (form, reader, chrome, metadata), in a child process (a
    regex stuck in C ignores signals): it ends within `seconds` (stretched on a loaded machine) with
    metadata or one BuildError line."""
    allowed = seconds * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    src = tmp / "seed.txt"
    src.write_text(text, encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-c", _READ, str(src), name], cwd=ROOT, capture_output=True,
                                text=True, timeout=allowed, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} of {len(text):,} characters ({text[20:60]!r}…): still reading after {allowed:.0f} s")
    assert result.returncode == 0 or (result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
                                      and " — " in result.stderr), result.stderr[-2000:]


@pytest.mark.parametrize("case", CASES["linear_time"], ids=[c["name"] for c in CASES["linear_time"]])
@pytest.mark.parametrize("ext", ["txt", "md"])
def test_repeated_markup_reads_in_linear_time(tmp_path, case, ext):
    unit = case["unit"]
    body = "大模型公司在今年融资超过百亿元，行业竞争愈发激烈。\n\n"
    _read_within(tmp_path, f"x.{ext}", "标题\n\n" + body + unit * (150_000 // len(unit.encode())) + "\n\n" + body, 10)


def test_any_repeated_markup_reads_in_linear_time(tmp_path):
    """Hypothesis: any short unit of Markdown, HTML and URL punctuation, repeated to 100 KB."""
    from hypothesis import given, settings, strategies as st
    alphabet = st.sampled_from(list("[]()!*_<>&`\\#-.:/{}%@|=\"' \n") + ["<!--", "-->", "http://", "www.", "a", "字", "1"])

    @settings(max_examples=20, deadline=None, database=None)
    @given(st.lists(alphabet, min_size=1, max_size=4).map("".join), st.sampled_from(["txt", "md"]))
    def check(unit, ext):
        _read_within(tmp_path, f"x.{ext}", "标题\n\n正文。\n\n" + unit * (100_000 // len(unit.encode())), 10)
    check()


# ---------------------------------------------------------------- concurrent edits take turns

def test_two_accepts_at_once_keep_both_edits(tmp_path, monkeypatch):
    """Two `accept`s on one memory, the second reading while the first is between its read and its
    write: both edits are in the file (the second waits for the first: paths.edit_lock)."""
    import threading
    import time
    D = seg("paragraph", "第四段的新文字。")
    d_old = segment_id("paragraph", "第四段的旧文字。")
    before, entry, after = layout(CASES["memory_edits"][0])
    path = tmp_path / "x.en.yml"
    path.write_bytes(before + entry + after + f"- id: {d_old}\n  pairs:\n  - zh: 第四段的旧文字。\n    en: Fourth.\n".encode())
    items = align((A, B, C, D), load_memory(path)).items
    assert [i.status for i in items] == ["translated", "stale", "translated", "stale"]
    render = memory_edit._render

    def slow_render(*args, **kwargs):
        out = render(*args, **kwargs)
        time.sleep(0.5)                       # the window in which another edit reads the old file
        return out
    monkeypatch.setattr(memory_edit, "_render", slow_render)
    errors = []

    def run(item):
        try:
            memory_edit.accept(path, item)
        except BaseException as exc:          # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(items[i],)) for i in (1, 3)]
    for t in threads:
        t.start()
        time.sleep(0.1)
    for t in threads:
        t.join(30)
    assert not errors, errors
    after_both = align((A, B, C, D), load_memory(path))
    assert [i.status for i in after_both.items] == ["translated"] * 4
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("errno_, text", [(30, "Read-only file system"), (28, "No space left on device")])
def test_accept_on_a_read_only_or_full_disk_is_one_line_and_changes_nothing(project, monkeypatch, capsys, errno_, text):
    """The temporary file cannot be made (read-only seeds/) or written (disk full): one line, exit 1,
    the memory as it was, no temporary file left."""
    import tempfile
    from scripts.__main__ import main
    tm = project / "seeds" / "000_171d0b4a7f7a72ca.en.yml"
    tm.write_text(tm.read_text(encoding="utf-8").replace("热闹异常的市场", "热闹的市场"), encoding="utf-8")
    before = tm.read_bytes()
    where = {"30": "mkstemp", "28": "fsync"}[str(errno_)]

    def fail(*args, **kwargs):
        raise OSError(errno_, text, str(project / "seeds" / ".x.tmp") if errno_ == 30 else None)
    monkeypatch.setattr(tempfile if where == "mkstemp" else os, where, fail)
    assert main(["--root", str(project), "accept", "000", "p-784b6103"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and text in err[0] and " — " in err[0] and "Traceback" not in err[0], err
    assert tm.read_bytes() == before
    assert not [p.name for p in (project / "seeds").iterdir() if p.name.endswith(".tmp")]


def test_visible_fast_path_replaces_exactly_what_html_cannot_carry():
    """html.visible skips its pattern for printable text; for any text at all (surrogates,
    noncharacters, controls, astral planes) it gives what the pattern alone gives."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from scripts.html import _NOT_TEXT

    @settings(max_examples=500, deadline=None)
    @given(st.text(st.characters(blacklist_categories=()), max_size=40))
    def check(value):
        assert visible(value) == _NOT_TEXT.sub("\ufffd", value)
    check()
