"""The second-review logs (data/review/NAME.yml) cover every segment of every published article.

Each log lists the article's segments once each, in page order, with a verdict from a fixed set; a
finding names its kind, the sentence it is about, the English before and after, and a reason. A style
finding may carry the house-style pass's decision: applied (true, optionally with the wording used as
applied_as) or not (false, with the reason as declined).
"""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import yamlio
from scripts.pipeline import Context, load_articles
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
REVIEW = ROOT / "data" / "review"

VERDICTS = {"ok", "fixed", "noted"}
KINDS = {"meaning", "omission", "number", "term", "style"}
APPLIED = KINDS - {"style"}           # kinds a reviewer fixes in the translation memory
ENTRY_KEYS = {"id", "verdict", "findings"}
FINDING_KEYS = {"kind", "sentence", "was", "now", "reason"}
DECISION_KEYS = {"applied", "applied_as", "declined"}   # style findings only


def _show(x) -> str:
    """A value as it may appear in a one-line message."""
    return x if isinstance(x, str) and x.isprintable() else repr(x)


def _decision_problems(f: dict) -> list[str]:
    """What is wrong with a style finding's applied / applied_as / declined keys.

    >>> _decision_problems({"applied": True, "applied_as": "five steps"})
    []
    >>> _decision_problems({"applied": False})
    ['applied: false needs declined: why the suggestion was not applied']
    >>> _decision_problems({"applied": "yes", "declined": "x"})
    ['applied must be true or false', 'declined goes with applied: false']
    """
    out = []
    if not set(f) & DECISION_KEYS:
        return out
    applied = f.get("applied")
    if not isinstance(applied, bool):
        out.append("applied must be true or false")
    for key in ("applied_as", "declined"):
        if key in f and (not isinstance(f[key], str) or not f[key].strip()):
            out.append(f"{key} must be non-empty text")
    if applied is False and "declined" not in f:
        out.append("applied: false needs declined: why the suggestion was not applied")
    if "declined" in f and applied is not False:
        out.append("declined goes with applied: false")
    if "applied_as" in f and applied is not True:
        out.append("applied_as goes with applied: true")
    return out


def check_log(log, segments: dict[str, int]) -> list[str]:
    """Problems in one review log; `segments` maps each segment id, in page order, to its sentence count.

    >>> check_log([{"id": "p-1", "verdict": "ok"}], {"p-1": 2})
    []
    >>> check_log([{"id": "p-1", "verdict": "fine"}], {"p-1": 2, "p-2": 1})
    ['p-1: verdict must be one of fixed, noted, ok', 'p-2: segment missing from the log']
    """
    if not isinstance(log, list):
        return ["the log must be a list of entries"]
    problems, seen = [], []
    for n, entry in enumerate(log, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(f"entry {n}: a mapping with an id is required")
            continue
        sid = _show(entry["id"])
        if extra := set(entry) - ENTRY_KEYS:
            problems.append(f"{sid}: unknown keys {', '.join(sorted(map(_show, extra)))}")
        if entry["id"] not in segments:
            problems.append(f"{sid}: no such segment in the article")
        elif sid in seen:
            problems.append(f"{sid}: listed more than once")
        seen.append(sid)
        verdict, findings = entry.get("verdict"), entry.get("findings", [])
        if verdict not in VERDICTS:
            problems.append(f"{sid}: verdict must be one of {', '.join(sorted(VERDICTS))}")
            continue
        if not isinstance(findings, list):
            problems.append(f"{sid}: findings must be a list")
            continue
        if verdict == "ok" and findings:
            problems.append(f"{sid}: verdict ok but findings recorded")
        if verdict != "ok" and not findings:
            problems.append(f"{sid}: verdict {verdict} needs at least one finding")
        kinds = set()
        for k, f in enumerate(findings, start=1):
            where = f"{sid} finding {k}"
            if not isinstance(f, dict):
                problems.append(f"{where}: must be a mapping")
                continue
            kind = f.get("kind") if isinstance(f.get("kind"), str) else None
            if not FINDING_KEYS <= set(f) or set(f) - FINDING_KEYS - (DECISION_KEYS if kind == "style" else set()):
                problems.append(f"{where}: keys must be {', '.join(sorted(FINDING_KEYS))}"
                                + (f" (a style finding may add {', '.join(sorted(DECISION_KEYS))})" if kind == "style" else ""))
            problems += [f"{where}: {p}" for p in _decision_problems(f)]
            kinds.add(kind)
            if kind not in KINDS:
                problems.append(f"{where}: kind must be one of {', '.join(sorted(KINDS))}")
            s = f.get("sentence")
            if not isinstance(s, int) or isinstance(s, bool) or not 1 <= s <= segments.get(entry["id"], 10**6):
                problems.append(f"{where}: sentence must be a pair number of the segment")
            for key in ("was", "now", "reason"):
                if not isinstance(f.get(key), str) or not f[key].strip():
                    problems.append(f"{where}: {key} must be non-empty text")
            if f.get("was") == f.get("now"):
                problems.append(f"{where}: was and now are the same")
        if verdict == "fixed" and not kinds & APPLIED:
            problems.append(f"{sid}: verdict fixed needs a {'/'.join(sorted(APPLIED))} finding")
        if verdict == "noted" and kinds & APPLIED:
            problems.append(f"{sid}: a {'/'.join(sorted(kinds & APPLIED))} finding is fixed, not noted")
    listed = [s for s in seen if s in segments]  # ids as shown; a real id is printable
    for sid in segments:
        if sid not in seen:
            problems.append(f"{sid}: segment missing from the log")
    if len(set(listed)) == len(listed) and listed != [s for s in segments if s in listed]:
        problems.append("entries are not in page order")
    return problems


@pytest.fixture(scope="module")
def articles():
    return [a for a in load_articles(Context.load(Paths(ROOT))) if a.meta.status == "published"]


def segment_map(article) -> dict[str, int]:
    return {it.segment.id: len(it.entry.en) if it.entry else 1 for it in article.alignment.items}


def test_every_published_article_has_a_complete_review_log(articles):
    assert len(articles) >= 5
    for a in articles:
        path = REVIEW / f"{a.seed.stem}.yml"
        assert path.is_file(), f"{path} missing"
        assert check_log(yamlio.load(path), segment_map(a)) == [], path


def test_no_review_log_without_an_article(articles):
    stems = {a.seed.stem for a in articles}
    assert {p.stem for p in REVIEW.glob("*.yml")} <= stems


def _reviewed(articles):
    """The articles with a review log (a missing log is reported once, by the completeness test)."""
    return [a for a in articles if (REVIEW / f"{a.seed.stem}.yml").is_file()]


def test_applied_fixes_are_in_the_translation_memory(articles):
    """A fixed finding's new English is in the segment's English or its translator's notes."""
    checked = 0
    for a in _reviewed(articles):
        by_id = {it.segment.id: it.entry for it in a.alignment.items}
        for entry in yamlio.load(REVIEW / f"{a.seed.stem}.yml"):
            for f in entry.get("findings", []):
                if f["kind"] in APPLIED:
                    tm = by_id[entry["id"]]
                    text = tm.en[f["sentence"] - 1] + " ".join(n.text for n in tm.notes)
                    assert f["now"] in text, (a.seed.stem, entry["id"], f["now"])
                    checked += 1
    assert checked > 0


def _spots(text: str) -> list[str]:
    """A was/now text may name several spots of one sentence, joined by ' … '."""
    return [s for s in text.split(" … ") if s.strip()]


def test_every_style_finding_is_decided_and_applied_ones_are_in_the_translation_memory(articles):
    """The house-style pass decided each style finding; an applied one's wording is in the segment's
    English (or its translator's notes) and the wording it replaced is gone."""
    applied = declined = 0
    for a in _reviewed(articles):
        by_id = {it.segment.id: it.entry for it in a.alignment.items}
        for entry in yamlio.load(REVIEW / f"{a.seed.stem}.yml"):
            for f in entry.get("findings", []):
                if f["kind"] != "style":
                    continue
                where = (a.seed.stem, entry["id"], f["was"])
                assert "applied" in f, f"{where}: style finding not decided (applied: true/false)"
                if not f["applied"]:
                    declined += 1
                    continue
                tm = by_id[entry["id"]]
                text = tm.en[f["sentence"] - 1] + " " + " ".join(n.text for n in tm.notes)
                now = _spots(f.get("applied_as", f["now"]))
                assert all(s in text for s in now), where
                assert not [s for s in _spots(f["was"]) if s in text and not any(s in n for n in now)], where
                applied += 1
    assert applied > 0 and declined > 0


def test_doctests():
    import doctest
    import sys
    result = doctest.testmod(sys.modules[__name__])
    assert result.attempted > 0 and result.failed == 0


def _clean():
    return [{"id": "p-1", "verdict": "ok"},
            {"id": "p-2", "verdict": "fixed", "findings": [
                {"kind": "number", "sentence": 2, "was": "4-fold", "now": "fivefold", "reason": "figures"}]},
            {"id": "h-3", "verdict": "noted", "findings": [
                {"kind": "style", "sentence": 1, "was": "5 steps", "now": "five steps", "reason": "numerals",
                 "applied": True}]}]


SEGMENTS = {"p-1": 1, "p-2": 2, "h-3": 1}


def _mutate(log, path, value):
    *head, last = path
    target = log
    for key in head:
        target = target[key]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return log


# Seeded mistakes: (description, mutation of the clean log, text the problem must contain).
MISTAKES = [
    ("segment dropped", lambda l: l[:2], "h-3: segment missing"),
    ("segment twice", lambda l: l + [{"id": "p-1", "verdict": "ok"}], "p-1: listed more than once"),
    ("unknown id", lambda l: l + [{"id": "p-9", "verdict": "ok"}], "p-9: no such segment"),
    ("out of order", lambda l: [l[1], l[0], l[2]], "not in page order"),
    ("bad verdict", lambda l: _mutate(l, [0, "verdict"], "good"), "verdict must be one of"),
    ("bad kind", lambda l: _mutate(l, [1, "findings", 0, "kind"], "grammar"), "kind must be one of"),
    ("sentence out of range", lambda l: _mutate(l, [1, "findings", 0, "sentence"], 3), "sentence must be"),
    ("sentence not a number", lambda l: _mutate(l, [1, "findings", 0, "sentence"], "2"), "sentence must be"),
    ("empty reason", lambda l: _mutate(l, [1, "findings", 0, "reason"], " "), "reason must be non-empty"),
    ("missing was", lambda l: _mutate(l, [1, "findings", 0, "was"], None), "keys must be"),
    ("ok with findings", lambda l: _mutate(l, [2, "verdict"], "ok"), "verdict ok but findings"),
    ("fixed with only style", lambda l: _mutate(l, [2, "verdict"], "fixed"), "verdict fixed needs"),
    ("noted but a meaning error", lambda l: _mutate(l, [1, "verdict"], "noted"), "is fixed, not noted"),
    ("noted without findings", lambda l: _mutate(l, [2, "findings"], []), "needs at least one finding"),
    ("unknown key", lambda l: _mutate(l, [0, "comment"], "x"), "unknown keys comment"),
    ("not a list", lambda l: {"p-1": "ok"}, "must be a list"),
    ("decision not a bool", lambda l: _mutate(l, [2, "findings", 0, "applied"], "yes"), "applied must be true or false"),
    ("declined without reason", lambda l: _mutate(l, [2, "findings", 0, "applied"], False), "needs declined"),
    ("empty declined", lambda l: _mutate(_mutate(l, [2, "findings", 0, "applied"], False), [2, "findings", 0, "declined"], " "),
     "declined must be non-empty"),
    ("declined but applied", lambda l: _mutate(l, [2, "findings", 0, "declined"], "why"), "declined goes with applied: false"),
    ("applied_as but declined", lambda l: _mutate(_mutate(l, [2, "findings", 0, "applied"], False),
                                                  [2, "findings", 0, "applied_as"], "x"), "applied_as goes with applied: true"),
    ("decision on a meaning finding", lambda l: _mutate(l, [1, "findings", 0, "applied"], True), "keys must be"),
]


def test_clean_log_passes():
    assert check_log(_clean(), SEGMENTS) == []


@pytest.mark.parametrize("name, mutate, expected", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_seeded_mistake_is_caught(name, mutate, expected):
    problems = check_log(mutate(_clean()), SEGMENTS)
    assert any(expected in p for p in problems), problems


_text = st.text(max_size=8)
_any = st.recursive(st.none() | st.booleans() | st.integers() | _text,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
                    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(log=_any)
def test_any_yaml_value_gives_problems_not_a_crash(log):
    """Whatever a log file holds, the checker answers with a list of one-line problems."""
    problems = check_log(log, SEGMENTS)
    assert isinstance(problems, list) and all(isinstance(p, str) and "\n" not in p for p in problems)


@settings(max_examples=100, deadline=None)
@given(order=st.permutations(list(SEGMENTS)), keep=st.sets(st.sampled_from(list(SEGMENTS))))
def test_any_reordering_or_dropping_is_caught(order, keep):
    entries = {e["id"]: e for e in _clean()}
    log = [entries[s] for s in order if s in keep]
    problems = check_log(log, SEGMENTS)
    expected_ok = len(keep) == len(SEGMENTS) and order == list(SEGMENTS)
    assert (problems == []) == expected_ok, problems
