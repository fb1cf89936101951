"""Each QA rule catches a seeded mistake, and the shipped translations pass."""
from pathlib import Path

import pytest
import yaml

from scripts import qa
from scripts.memory_edit import accept
from scripts.pipeline import Context, load_articles, process
from scripts.ingest import find_seeds, tm_file
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ctx():
    return Context.load(Paths(ROOT))


def test_shipped_translations_pass_qa(ctx):
    """No errors, and no calque left unwaived, in the published articles."""
    issues = qa.run(load_articles(ctx), ctx.lexicon, ctx.paths.data)
    assert [i for i in issues if i.severity == "error" or i.rule == "calques"] == []


def _check(project: Path, path: Path):
    """QA over one article of the project, with the project's calque list."""
    c = Context.load(Paths(project))
    return qa.check_article(process(path, c), c.lexicon.matcher, qa.load_calques(str(c.paths.data / "style.yml")))


def test_every_article_is_published_and_complete(ctx):
    for a in load_articles(ctx):
        assert a.meta.status == "published"
        assert a.counts["translated"] == len(a.alignment.items) > 10


def seeded(project: Path, stem_prefix: str, old: str, new: str):
    """Replace old by new in the first English sentence holding it, then run QA on that article."""
    path = next(p for p in find_seeds(project / "seeds") if p.name.startswith(stem_prefix))
    tm = tm_file(path)
    data = yaml.safe_load(tm.read_text(encoding="utf-8"))
    pair = next(p for s in data["segments"] for p in s["pairs"] if old in (p.get("en") or ""))
    pair["en"] = pair["en"].replace(old, new, 1)
    tm.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return _check(project, path)


def waive(project: Path, stem_prefix: str, segment: str, rule: str, text: str):
    """Add a waiver to one segment of the article's translation memory; QA the article again."""
    path = next(p for p in find_seeds(project / "seeds") if p.name.startswith(stem_prefix))
    tm = tm_file(path)
    data = yaml.safe_load(tm.read_text(encoding="utf-8"))
    entry = next(s for s in data["segments"] if s["id"] == segment)
    entry.setdefault("waive", []).append({"rule": rule, "text": text, "reason": "test"})
    tm.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return _check(project, path)


# Seeded mistakes: (article, English as shipped, English with the mistake, rule, text the issue must name).
SEEDED = [
    ("000", "RMB 286 million to RMB 382 million", "RMB 2.86 billion to RMB 382 million", "numbers", "2.86亿元至3.82亿元"),
    ("000", "down 60%–70% year on year", "down 60% year on year", "numbers", "60%-70%"),
    ("002", "OpenAI has raised US$14.3 billion", "OpenAI has raised RMB 14.3 billion", "numbers", "USD"),
    ("002", "On May 6, 2023", "On May 7, 2023", "numbers", "2023年5月6日"),
    ("001", "131.6%, 62.5%, 55.8%", "131.6%, 55.8%", "numbers", "62.5%"),
    ("004", "“Six Little Tigers”", "“six small tigers”", "terms", "六小虎"),
    ("004", "Frost & Sullivan", "Frost and Sullivan", "terms", "弗若斯特沙利文"),
    ("003", "ERNIE Bot has just completed", "文心一言 has just completed", "hygiene", "文心一言"),
    # house style (scripts/templates/style.md)
    ("003", "above RMB 20 billion", "above 20 billion yuan", "currency", "“20 billion yuan”"),
    ("003", "billions of yuan", "billions of renminbi", "currency", "“billions of renminbi”"),
    ("003", "after five steps of reasoning", "after 5 steps of reasoning", "numerals", "“5 steps”"),
    ("002", "pouring in “hard cash.”", "pouring in “hard cash”.", "quotes", "English: full stop or comma after a closing quote"),
    ("004", "in “compute vouchers,”", "in compute vouchers,”", "quotes", "English: 1 closing ” without an opening “"),
    ("002", ", an increase of 419%.", ": the loss widened 4.19 times.", "multiples", "the English says 4.19 times, the figures give 5.18"),
    ("002", "more than five times the US$3.6 billion", "more than three times the US$3.6 billion", "multiples",
     "more than 3 times, the figures give 5.67"),
    ("002", "business customers have a clearer appetite", "B-end customers have a clearer appetite", "calques", "“B-end”"),
    ("000", "Large AI models, sent soaring", "AI large models, sent soaring", "calques", "“AI large models”"),
]
WARNINGS = {"calques"}     # rules whose findings are warnings, not errors


@pytest.mark.parametrize("article, shipped, mistake, rule, named", SEEDED,
                         ids=[f"{r}:{n}" for _, _, _, r, n in SEEDED])
def test_seeded_mistake_is_caught(project, article, shipped, mistake, rule, named):
    issues = seeded(project, article, shipped, mistake)
    severity = "warning" if rule in WARNINGS else "error"
    assert any(i.rule == rule and named in i.message and i.severity == severity for i in issues), issues


def test_unbalanced_chinese_quote_is_caught(project):
    """A source whose quotation mark loses its partner: once the translator accepts the new Chinese,
    the quotes rule reports it."""
    seed = project / "seeds" / "000_171d0b4a7f7a72ca.txt"
    raw = seed.read_bytes()
    assert raw.count("浪潮信息的“源1.0”".encode()) == 1
    seed.write_bytes(raw.replace("浪潮信息的“源1.0”".encode(), "浪潮信息的源1.0”".encode()))
    c = Context.load(Paths(project))
    stale = [i for i in process(seed, c).alignment.items if i.status == "stale"]
    assert len(stale) == 1
    new_id = accept(tm_file(seed), stale[0])
    issues = _check(project, seed)
    assert [i for i in issues if i.rule == "coverage"] == []
    assert [(i.segment, i.message) for i in issues if i.rule == "quotes"] == [
        (new_id, "Chinese: 1 closing ” without an opening “")]


def test_style_waiver_silences_exactly_its_text(project):
    """A waiver for one numeral leaves the other numeral in the sentence, and other segments, reported."""
    issues = seeded(project, "002", "backing three of the four unicorns", "backing 3 of the 4 unicorns")
    numerals = sorted(i.message for i in issues if i.rule == "numerals")
    assert len(numerals) == 2 and any("“3 of”" in m for m in numerals)
    issues = waive(project, "002", "p-3170dc4c", "numerals", "“3 of”")
    assert [i.message for i in issues if i.rule == "numerals"] == [m for m in numerals if "“3 of”" not in m]
    # the same waiver on another segment silences nothing here
    seeded(project, "002", "in two chip companies", "in 2 chip companies")
    issues = waive(project, "002", "p-a2e8e9c9", "numerals", "“2 chip”")
    assert any("“2 chip”" in i.message for i in issues if i.rule == "numerals")


def test_calque_waiver_silences_exactly_its_phrase(project):
    issues = seeded(project, "002", "Compared with consumers, who are unwilling to pay, business customers",
                    "Compared with C-end users, who are unwilling to pay, B-end customers")
    assert {i.message.split("”")[0] for i in issues if i.rule == "calques"} == {"“C-end", "“B-end"}
    issues = waive(project, "002", "p-1b9cfe31", "calques", "b-end")
    assert {i.message.split("”")[0] for i in issues if i.rule == "calques"} == {"“C-end"}


def test_quotes_waiver_for_the_chinese_leaves_the_english_checked(project):
    """003 p-01ecd88f waives the source's unclosed quote; an English quote left open is still caught."""
    issues = seeded(project, "003", "in general-purpose large models.”", "in general-purpose large models.")
    assert [i.message for i in issues if i.rule == "quotes"] == ["English: 1 opening “ never closed"]


def test_untranslated_published_segment_is_caught(project):
    tm = project / "seeds" / "003_a6c80c997dc4fe08.en.yml"
    data = yaml.safe_load(tm.read_text(encoding="utf-8"))
    data["segments"][0]["pairs"][0]["en"] = ""
    tm.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    c = Context.load(Paths(project))
    issues = qa.check_article(process(project / "seeds" / "003_a6c80c997dc4fe08.txt", c), c.lexicon.matcher)
    assert any(i.rule == "coverage" and "pending" in i.message for i in issues)


def test_stale_segment_in_published_article_is_caught(project):
    seed = project / "seeds" / "000_171d0b4a7f7a72ca.txt"
    seed.write_bytes(seed.read_bytes().replace("无疑是上半年最火热的赛道".encode(), "无疑是今年最火热的赛道".encode()))
    c = Context.load(Paths(project))
    issues = qa.check_article(process(seed, c), c.lexicon.matcher)
    assert any(i.rule == "coverage" and "stale" in i.message for i in issues)


def test_waiver_silences_exactly_its_figure(project):
    issues = seeded(project, "000", "down 60%–70% year on year", "down 60% year on year")
    assert issues
    tm = project / "seeds" / "000_171d0b4a7f7a72ca.en.yml"
    text = tm.read_text(encoding="utf-8").replace(
        "- id: p-6119e709", "  waive:\n  - {rule: numbers, text: 60%-70%, reason: test}\n- id: p-6119e709", 1)
    tm.write_text(text, encoding="utf-8")
    c = Context.load(Paths(project))
    seed = project / "seeds" / "000_171d0b4a7f7a72ca.txt"
    assert not [i for i in qa.check_article(process(seed, c), c.lexicon.matcher) if "60%-70%" in i.message]


def test_english_values_reads_ranges_and_scales():
    assert {286e6, 382e6} <= qa.english_values("RMB 286–382 million")
    assert 1.1e12 in qa.english_values("US$1.1 trillion")
    assert 1279000 in qa.english_values("1,279,000 developers")
