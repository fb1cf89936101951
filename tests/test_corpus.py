"""The development corpus: real scrapes in every input form, dropped into seeds/ with no side file.

Every article in tests/corpus/ must build as a draft in a project of its own, with no side file and no
code change; over the whole corpus the chrome classifier must remove at least 97% of the furniture
lines the expectations list (tests/cases/corpus.yml, `must_go`) and keep every body sentence
(`must_stay`); the title, outlet and date found must be the expected ones.

A build stopped by a mojibake flag is an expected failure for now: the detector flags rare but real
characters (scripts/mojibake.py is being rewritten so that drafts do not stop on undecided flags).
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from scripts import clean, ingest, yamlio
from scripts.build import Context, build, process
from scripts.chinese import strip_marks, to_simplified
from scripts.errors import BuildError
from scripts.paths import Paths, copy_project

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
EXPECTATIONS = Path(__file__).parent / "cases" / "corpus.yml"
RULES = clean.load_rules(ROOT / "data" / "cleaning.yml")
RECALL_TARGET = 0.97
ARTICLES = sorted(p for p in CORPUS.glob("*") if p.suffix in ingest.SEED_SUFFIXES) if CORPUS.exists() else []
MOJIBAKE = "mojibake flags on rare but real characters stop the build (scripts/mojibake.py is being rewritten)"


def expectations() -> dict[str, dict]:
    """id -> expected outcome; {} until the corpus expectations exist."""
    if not EXPECTATIONS.exists():
        return {}
    data = yamlio.load(EXPECTATIONS)
    items = data.get("articles", data) if isinstance(data, dict) else data
    return {str(item["id"]): item for item in items or []}


def squeeze(text: str) -> str:
    """What comparisons see: Simplified, full-width punctuation, no spaces, no repair marks."""
    text = strip_marks(to_simplified(str(text)))
    return re.sub(r"\s+", "", clean.fullwidth_punctuation(text))


@dataclass
class Outcome:
    kept: str                 # the text of the kept blocks, squeezed, one block per line
    removed: str
    evidence: dict


@lru_cache(maxsize=None)
def outcome(path: Path) -> Outcome:
    """The classifier's verdicts on one article (independent of the mojibake stage)."""
    seed = ingest.read_seed(path)
    verdicts = clean.classify_blocks(clean.read_document(seed), RULES)
    fix = clean.FIXERS
    kept = "\n".join(squeeze(_fixed(v.block.text, fix)) for v in verdicts if v.keep)
    removed = "\n".join(squeeze(v.block.text) for v in verdicts if not v.keep)
    return Outcome(kept, removed, clean.infer_metadata(seed, RULES))


def _fixed(text: str, fixers) -> str:
    for f in fixers:
        text = f(text)
    return text


def _ids():
    return [p.stem for p in ARTICLES]


@pytest.mark.skipif(not ARTICLES, reason="no corpus yet")
@pytest.mark.parametrize("path", ARTICLES, ids=_ids())
def test_article_builds_as_a_draft_without_a_side_file(path, tmp_path):
    proj = copy_project(tmp_path / "proj", seeds=False, figures=False)
    shutil.copy(path, proj / "seeds" / path.name)
    try:
        out = build(Paths(proj))
    except BuildError as exc:
        if "mojibake" in str(exc):
            pytest.xfail(f"{MOJIBAKE}: {exc}")
        raise
    a = process(proj / "seeds" / path.name, Context.load(Paths(proj)))
    assert a.meta.status == "draft" and a.meta.path is None
    page = out.files[f"articles/{a.slug}/index.md"]
    assert 'data-status="draft"' in page
    body = page.split("</details>")[-1] if "</details>" in page else page
    for segment in a.segmented.segments:
        text = segment.plain
        assert not re.search(r"https?://|www\.|\]\(|!\[|<!--|\*\*|^#+\s|^[=-]{3,}$", text), (segment.id, text)
    exp = expectations().get(path.stem, {})
    for s in exp.get("must_go") or []:
        assert squeeze(s) not in squeeze(re.sub(r"<[^>]+>", "", body)), s


def _metric_rows():
    exp = expectations()
    rows = []
    for path in ARTICLES:
        e = exp.get(path.stem)
        if not e:
            continue
        o = outcome(path)
        gone = [s for s in e.get("must_go") or [] if squeeze(s) and squeeze(s) not in o.kept]
        stayed = [s for s in e.get("must_stay") or [] if squeeze(s) in o.kept]
        rows.append((path.stem, e.get("must_go") or [], gone, e.get("must_stay") or [], stayed))
    return rows


@pytest.mark.skipif(not ARTICLES, reason="no corpus yet")
def test_chrome_recall_and_body_precision_over_the_corpus(capsys):
    rows = _metric_rows()
    if not rows:
        pytest.skip("corpus expectations (tests/cases/corpus.yml) not there yet")
    must_go = sum(len(r[1]) for r in rows)
    gone = sum(len(r[2]) for r in rows)
    must_stay = sum(len(r[3]) for r in rows)
    stayed = sum(len(r[4]) for r in rows)
    recall = gone / must_go if must_go else 1.0
    with capsys.disabled():
        print(f"\ncorpus: {len(rows)} articles; chrome recall {gone}/{must_go} = {recall:.1%} (target ≥ 97%); "
              f"body kept {stayed}/{must_stay}")
        for name, go, g, stay, s in rows:
            missed = [x for x in go if x not in g]
            lost = [x for x in stay if x not in s]
            if missed or lost:
                print(f"  {name}: furniture kept {missed[:5]}; body lost {lost[:5]}")
    lost = [(name, x) for name, _, _, stay, s in rows for x in stay if x not in s]
    assert not lost, f"body sentences removed: {lost[:10]}"
    assert recall >= RECALL_TARGET


def _expected_metadata():
    exp = expectations()
    out = []
    for path in ARTICLES:
        e = exp.get(path.stem) or {}
        for field in ("title", "outlet", "published"):
            if e.get(field):
                out.append(pytest.param(path, field, str(e[field]), id=f"{path.stem}-{field}"))
    return out or [pytest.param(None, None, None, marks=pytest.mark.skip(reason="no corpus expectations yet"))]


@pytest.mark.parametrize("path,field,expected", _expected_metadata())
def test_metadata_matches_the_expectations(path, field, expected):
    found = outcome(path).evidence.get(field)
    assert found is not None, f"no {field} found"
    if field == "published":
        assert found.value == expected or found.value.startswith(expected), found.describe()
    else:
        assert squeeze(found.value) == squeeze(expected), found.describe()
