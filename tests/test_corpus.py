"""The development corpus: real scrapes in every input form, dropped into seeds/ with no side file.

Every article in tests/corpus/ must build as a draft in a project of its own, with no side file and no
code change; over the whole corpus the chrome classifier must remove at least 97% of the furniture
lines the expectations list (tests/cases/corpus.yml, `must_go`) and keep every body sentence
(`must_stay`); the title, outlet and date found must be the expected ones.

A build stopped by a mojibake flag is an expected failure for now: the detector flags rare but real
characters (scripts/mojibake/ is being rewritten so that drafts do not stop on undecided flags).
"""
from __future__ import annotations

import html as html_mod
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from scripts import clean, ingest, yamlio
from scripts.build import build
from scripts.pipeline import Context, process
from scripts.chinese import strip_marks, to_simplified
from scripts.errors import BuildError
from scripts.paths import Paths, copy_project

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
EXPECTATIONS = Path(__file__).parent / "cases" / "corpus.yml"
RULES = clean.load_rules(ROOT / "data" / "cleaning.yml")
RECALL_TARGET = 0.97
ARTICLES = sorted(p for p in CORPUS.glob("*") if p.suffix in ingest.SEED_SUFFIXES
                  and p.name not in ingest.NOT_SEEDS) if CORPUS.exists() else []
MOJIBAKE = "mojibake flags on rare but real characters stop the build (scripts/mojibake/ is being rewritten)"
ROLE_FIELDS = {"author": "authors", "editor": "editors", "compiler": "translators", "translator": "translators",
               "chief editor": "chief_editor", "proofreader": "proofreaders"}


@lru_cache(maxsize=1)
def expectations() -> dict[str, dict]:
    """id -> expected outcome (tests/cases/corpus.yml); {} until it exists."""
    if not EXPECTATIONS.exists():
        return {}
    data = yamlio.load(EXPECTATIONS)
    items = data.get("articles", data) if isinstance(data, dict) else data
    return {str(item["id"]): item for item in items or []}


def normalised(text: str, traditional: bool) -> str:
    """The pipeline's own normalisation, as the expectations ask: Simplified, full-width punctuation."""
    text = strip_marks(str(text))
    return clean.fullwidth_punctuation(to_simplified(text) if traditional else text)


def one_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


@dataclass
class Outcome:
    format: str
    traditional: bool
    cleaned: str              # the kept blocks after the fixers, one per line
    evidence: dict


@lru_cache(maxsize=None)
def outcome(path: Path) -> Outcome:
    """The cleaned text and metadata of one article, independent of the mojibake stage (which may stop
    a draft today): the reader, the chrome classifier and the same fixers clean() applies."""
    seed = ingest.read_seed(path)
    doc = clean.read_document(seed)
    traditional = clean.is_traditional(seed.text)
    fixers = clean.FIXERS if traditional else tuple(f for f in clean.FIXERS if f is not clean.to_simplified_chars)
    kept = []
    for v in clean.classify_blocks(doc, RULES):
        if v.keep:
            text = v.block.text
            for f in fixers:
                text = f(text)
            kept.append(text)
    return Outcome(doc.format, traditional, "\n".join(kept), clean.infer_metadata(seed, RULES))


def _params(with_expectation: bool = False):
    exp = expectations()
    return [pytest.param(p, id=p.stem) for p in ARTICLES if not with_expectation or p.stem in exp]


@pytest.mark.skipif(not ARTICLES, reason="no corpus yet")
@pytest.mark.parametrize("path", _params())
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
    for segment in a.segmented.segments:
        assert not re.search(r"https?://|www\.|\]\(|!\[|<!--|\*\*|^#+\s|^[=-]{3,}$", segment.plain), segment.plain
    exp = expectations().get(path.stem) or {}
    body = re.sub(r"<script\b.*?</script>", " ", page.split("</details>")[-1], flags=re.S)   # data, not text
    shown = one_space(html_mod.unescape(re.sub(r"<[^>]+>", " ", body)))
    for s in exp.get("must_go") or []:
        assert one_space(normalised(s, a.cleaned.format and clean.is_traditional(a.seed.text))) not in shown, s


@pytest.mark.parametrize("path", _params(True))
def test_form_is_detected(path):
    assert outcome(path).format == expectations()[path.stem]["form"]


def _metric_rows():
    rows = []
    for path in ARTICLES:
        e = expectations().get(path.stem)
        if not e:
            continue
        o = outcome(path)
        cleaned_go, cleaned_stay = one_space(o.cleaned), no_space(o.cleaned)
        go = [str(x) for x in e.get("must_go") or []]
        stay = [str(x) for x in e.get("must_stay") or []]
        kept_furniture = [x for x in go if one_space(normalised(x, o.traditional)) in cleaned_go]
        lost_body = [x for x in stay if no_space(normalised(x, o.traditional)) not in cleaned_stay]
        rows.append((path.stem, go, kept_furniture, stay, lost_body))
    return rows


@pytest.mark.skipif(not ARTICLES, reason="no corpus yet")
def test_chrome_recall_and_body_precision_over_the_corpus(capsys):
    rows = _metric_rows()
    if not rows:
        pytest.skip("corpus expectations (tests/cases/corpus.yml) not there yet")
    must_go = sum(len(r[1]) for r in rows)
    kept = sum(len(r[2]) for r in rows)
    must_stay = sum(len(r[3]) for r in rows)
    lost = [(name, x) for name, _, _, _, lost_body in rows for x in lost_body]
    recall = (must_go - kept) / must_go if must_go else 1.0
    with capsys.disabled():
        print(f"\ncorpus: {len(rows)} articles; chrome recall {must_go - kept}/{must_go} = {recall:.1%} "
              f"(target ≥ {RECALL_TARGET:.0%}); body sentences kept {must_stay - len(lost)}/{must_stay}")
        for name, _, kept_furniture, _, lost_body in rows:
            if kept_furniture or lost_body:
                print(f"  {name}: furniture kept {kept_furniture[:6]}; body lost {lost_body[:6]}")
    assert not lost, f"body sentences removed: {lost[:10]}"
    assert recall >= RECALL_TARGET


def _expected_metadata():
    out = []
    for path in ARTICLES:
        meta = (expectations().get(path.stem) or {}).get("metadata") or {}
        for field in ("title", "title_starts", "outlet", "published"):
            out.append(pytest.param(path, field, meta.get(field), id=f"{path.stem}-{field}"))
        for person in meta.get("people") or []:
            out.append(pytest.param(path, "people", person, id=f"{path.stem}-people-{person.get('name')}"))
    return out or [pytest.param(None, None, None, marks=pytest.mark.skip(reason="no corpus expectations yet"))]


@pytest.mark.parametrize("path,field,expected", _expected_metadata())
def test_metadata_matches_the_expectations(path, field, expected):
    """What the file states is found, with its evidence; what it does not state is not invented."""
    o = outcome(path)
    ev = o.evidence
    if field == "people":
        name, role = str(expected["name"]), str(expected.get("role") or "author")
        fields = [ROLE_FIELDS.get(role, "authors")]
        found = [n for f in fields for n in (ev[f].value.split("、") if f in ev else [])]
        assert normalised(name, o.traditional) in [normalised(n, o.traditional) for n in found], (role, found)
        return
    if field == "title_starts":
        if expected is None:
            return
        assert "title" in ev and normalised(ev["title"].value, o.traditional).startswith(
            normalised(str(expected), o.traditional)), ev.get("title")
        return
    key = field
    if field == "title" and expected is None and (expectations().get(path.stem) or {}).get("metadata", {}).get("title_starts"):
        return
    found = ev.get(key)
    if expected is None:
        assert found is None, f"{field} invented: {found.value} ← {found.describe()}"
        return
    assert found is not None, f"no {field} found"
    if field == "published":
        assert found.value == str(expected), found.describe()
    else:
        assert no_space(normalised(found.value, o.traditional)) == no_space(normalised(str(expected), o.traditional)), \
            found.describe()


RESERVED = {"askfanxiaojun/cubox", "chainreactors/picker", "zhigehe/bulwark", "jonathanchen-jc/latepostautorss"}


@pytest.mark.skipif(not ARTICLES, reason="no corpus yet")
def test_every_article_is_the_blob_its_provenance_names():
    """Each file is byte for byte what PROVENANCE.yml records (sha256, size), from a cited commit of a
    repository not kept aside for independent evaluation."""
    import hashlib
    entries = {str(e["file"]): e for e in yamlio.load(CORPUS / "PROVENANCE.yml")}
    for path in ARTICLES:
        e = entries.get(path.name)
        assert e, f"{path.name} has no provenance entry"
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"] and len(data) == e["bytes"], path.name
        assert re.fullmatch(r"[0-9a-f]{40}", str(e["commit"])) and e["path"], path.name
        assert str(e["repository"]).lower() not in RESERVED, path.name
    assert set(entries) == {p.name for p in ARTICLES}
