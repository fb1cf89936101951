"""Each QA rule catches a seeded mistake, and the shipped translations pass."""
from pathlib import Path

import pytest
import yaml

from scripts import qa
from scripts.pipeline import Context, load_articles, process
from scripts.ingest import find_seeds, tm_file
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ctx():
    return Context.load(Paths(ROOT))


def test_shipped_translations_pass_qa(ctx):
    issues = qa.run(load_articles(ctx), ctx.lexicon)
    assert [i for i in issues if i.severity == "error"] == []


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
    c = Context.load(Paths(project))
    return qa.check_article(process(path, c), c.lexicon.matcher)


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
]


@pytest.mark.parametrize("article, shipped, mistake, rule, named", SEEDED,
                         ids=[f"{r}:{n}" for _, _, _, r, n in SEEDED])
def test_seeded_mistake_is_caught(project, article, shipped, mistake, rule, named):
    issues = seeded(project, article, shipped, mistake)
    assert any(i.rule == rule and named in i.message and i.severity == "error" for i in issues), issues


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
