"""The schema (scripts/schema) and bounded YAML (scripts/yamlio): every data file in the repository
passes it, every broken file in tests/cases/bad_data.yml gives its one line naming file and line, and
the field tables in seeds/README.md are the schema's."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts import align, clean, figures, ingest, schema, yamlio
from scripts.annotate import terms
from scripts.errors import BuildError
from scripts.schema import docs, files

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "cases" / "bad_data.yml").read_text(encoding="utf-8"))


def _generate(spec: dict) -> str:
    """The hostile files too large or repetitive to write out in the case table."""
    if "alias_bomb" in spec:          # each level nine references to the one before: 9**levels strings
        levels = spec["alias_bomb"]
        lines = ["- id: bomb", '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"  a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
        return "\n".join(lines + [f"  definition: *a{levels - 1}"]) + "\n"
    if "nesting" in spec:
        return "[" * spec["nesting"] + "]" * spec["nesting"] + "\n"
    if "nesting_map" in spec:
        return "{a: " * spec["nesting_map"] + "1" + "}" * spec["nesting_map"] + "\n"
    if "size" in spec:
        return "segments:\n" + ("# padding\n" * (spec["size"] // 10))
    raise ValueError(spec)


def _load(kind: str, folder: Path, text: str):
    """Write `text` as a file of this kind in `folder` and load it as the build does; the file's path."""
    name = {"side": "x.yml", "memory": "x.en.yml", "glossary": "glossary.yml", "entities": "entities.yml",
            "figure": "figures/test.yml", "timeline": "timeline.yml", "cleaning": "cleaning.yml",
            "style": "style.yml"}[kind]
    path = folder / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    loaders = {
        "side": lambda: ingest.load_meta(folder / "x.txt"),
        "memory": lambda: align.load_memory(path),
        "glossary": lambda: terms.load_terms(path, "glossary"),
        "entities": lambda: terms.load_terms(path, "entity"),
        "figure": lambda: figures.load_datasets(folder / "figures"),
        "timeline": lambda: figures.load_timeline(path),
        "cleaning": lambda: clean.load_rules(path),
        "style": lambda: schema.load(path, files.STYLE),
    }
    return path, loaders[kind]


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_bad_data_gives_one_line(tmp_path, case):
    text = case.get("text") or _generate(case["generate"])
    path, load = _load(case["kind"], tmp_path, text)
    if case.get("ok"):
        load()
        return
    start = time.perf_counter()
    with pytest.raises(BuildError) as exc:      # a BuildError and nothing else: the CLI prints its one line
        load()
    assert time.perf_counter() - start < 2.0
    message = str(exc.value)
    where = f"{path}:{case['line']}: " if case["line"] else f"{path}: "
    assert message.startswith(where + case["message"]), message
    assert "\n" not in message and " — " in message          # one line, with a remedy
    if case.get("remedy"):
        assert case["remedy"] in message.split(" — ", 1)[1], message


def test_bad_data_through_the_command_line(project):
    """Through `python -m scripts build`: the one line on stderr, exit 1, no traceback (a typo, a
    date, an alias bomb in the glossary)."""
    side = project / "seeds" / "000_171d0b4a7f7a72ca.yml"
    glossary = project / "data" / "glossary.yml"
    original = side.read_text(encoding="utf-8"), glossary.read_text(encoding="utf-8")
    bomb = _generate({"alias_bomb": 7}).replace("- id: bomb", "- id: bomb\n  zh: 炸弹\n  en: bomb\n  category: idiom")
    for target, text, expected in (
        (side, original[0].replace("published: 2023-07-23", "published: 2023-13-45"), "is not a real date"),
        (side, original[0].replace("notes:", "notez:"), "did you mean `notes:`?"),
        (glossary, original[1] + bomb, "YAML aliases (*name) are not allowed"),
    ):
        target.write_text(text, encoding="utf-8")
        env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
        result = subprocess.run([sys.executable, "-m", "scripts", "--root", str(project), "build"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=120)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert target.name in lines[0] and expected in lines[0], lines[0]
        side.write_text(original[0], encoding="utf-8")
        glossary.write_text(original[1], encoding="utf-8")


def test_every_data_file_passes_its_schema():
    for path in sorted((ROOT / "seeds").glob("*.yml")):
        schema.load(path, files.MEMORY if path.name.endswith(".en.yml") else files.SIDE_FILE)
    schema.load(ROOT / "data" / "glossary.yml", files.GLOSSARY)
    schema.load(ROOT / "data" / "entities.yml", files.ENTITIES)
    for path in sorted((ROOT / "data" / "figures").glob("*.yml")):
        schema.load(path, files.FIGURE)
    schema.load(ROOT / "data" / "timeline.yml", files.TIMELINE)
    schema.load(ROOT / "data" / "cleaning.yml", files.CLEANING)
    schema.load(ROOT / "data" / "style.yml", files.STYLE)
    for path in sorted((ROOT / "data" / "review").glob("*.yml")):
        schema.load(path, files.REVIEW)


def test_readme_tables_are_the_schemas():
    """seeds/README.md's field tables are printed from the schema: `python -m scripts.schema --write`."""
    text = docs.README.read_text(encoding="utf-8")
    assert docs.render(text) == text, "run python -m scripts.schema --write"
    for name in files.ALL:
        assert f"<!-- schema: {name} -->" in text


def test_readme_tables_follow_a_changed_schema(tmp_path):
    """A changed declaration changes its table, and sync() writes it back (atomically, nothing else)."""
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- schema: style -->\nstale\n<!-- /schema -->\nend\n", encoding="utf-8")
    assert not docs.sync(readme)
    assert docs.sync(readme, write=True) is False and docs.sync(readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("intro\n<!-- schema: style -->\n| key |") and text.endswith("<!-- /schema -->\nend\n")
    assert "| `calques[].pattern` | regex (Python `re`) | yes |" in text
    assert list(tmp_path.iterdir()) == [readme]


def test_every_field_is_documented():
    def walk(t):
        t = getattr(t, "item", t)
        t = getattr(t, "record", t)
        if isinstance(t, schema.Record):
            for f in t.fields:
                assert f.doc.strip(), f"{t.name}.{f.name} has no doc line"
                walk(f.type)
    for s in files.ALL.values():
        walk(s)


# ---------------------------------------------------------------- properties (Hypothesis)

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
_keys = st.one_of(st.sampled_from(["id", "zh", "en", "notes", "pairs", "segments", "rules", "series", "date",
                                   "published", "title", "value", "label", "points"]), st.text(max_size=8))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(_keys, inner, max_size=4)), max_leaves=30)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_values, name=st.sampled_from(sorted(files.ALL)))
def test_any_yaml_value_is_accepted_or_refused_in_one_line(value, name):
    """Whatever a data file holds, checking it gives data or a one-line BuildError naming the file,
    never another exception."""
    text = yaml.safe_dump(value, allow_unicode=True)
    for data in (yamlio.loads(text, "x.yml"), value):      # as loaded, and as plain Python data
        try:
            schema.check(data, files.ALL[name], "x.yml")
        except BuildError as exc:
            assert str(exc).startswith("x.yml") and "\n" not in str(exc)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(list("[]{}:,-&*!|>'\"#? \n\tab1") + ["&a ", "*a", "---\n", "  ", "- ", "a: "]),
                     max_size=40).map("".join))
def test_any_text_loads_or_fails_in_one_line(text):
    """Arbitrary YAML punctuation: loaded, or one BuildError line; never a parser exception or a hang."""
    try:
        yamlio.loads(text, "x.yml")
    except BuildError as exc:
        assert str(exc).startswith("x.yml") and "\n" not in str(exc)


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=0, max_value=13),
       st.integers(min_value=0, max_value=32))
def test_dates_are_real_calendar_dates(year, month, day):
    import datetime
    text = f"{year}-{month:02d}-{day:02d}"
    try:
        datetime.date(year, month, day)
        real = True
    except ValueError:
        real = False
    assert (schema.parse_date(text) is not None) == real


@settings(max_examples=300, deadline=None)
@given(value=st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                    st.text(max_size=20)),
                          lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8),
                                                                                                inner, max_size=4)),
                          max_leaves=30),
       flow=st.booleans())
def test_loads_reads_plain_yaml_as_pyyaml_does(value, flow):
    """Built from events without PyYAML's composer, the data is what yaml.safe_load reads."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow)
    assert yamlio.loads(text, "x.yml") == yaml.safe_load(text)
