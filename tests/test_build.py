"""End to end: every seed through every stage, then MkDocs, checked against the HTML contract."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path


from scripts.build import build
from scripts.ingest import find_seeds, load_meta
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


class Blocks(HTMLParser):
    """Collects data-article roots and data-seg blocks with their direct lang children."""

    def __init__(self):
        super().__init__()
        self.stack, self.articles, self.segs = [], [], {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        parent = self.stack[-1] if self.stack else None
        node = {"tag": tag, "attrs": a, "parent": parent}
        if "data-article" in a:
            self.articles.append(a["data-article"])
        if "data-seg" in a and tag in ("div", "h2"):
            self.segs[a["data-seg"]] = {"attrs": a, "children": []}
            node["seg"] = a["data-seg"]
        if parent is not None and parent.get("seg") and "lang" in a:
            self.segs[parent["seg"]]["children"].append((a["lang"], a.get("class", "")))
        self.stack.append(node)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break


def test_every_seed_has_a_page_obeying_the_contract(built_project):
    pages = sorted((built_project / "site" / "articles").glob("*/index.html"))
    assert len(pages) == len(find_seeds(built_project / "seeds")) >= 5      # every form: .txt, .md, .html
    for page in pages:
        p = Blocks()
        p.feed(page.read_text(encoding="utf-8"))
        assert p.articles == [page.parent.name]
        assert len(p.segs) > 10
        for seg, info in p.segs.items():
            langs = [lang for lang, _ in info["children"]]
            assert langs.count("zh-Hans") == 1 and langs.count("en") == 1, (page, seg, info)
            status = info["attrs"]["data-status"]
            en_class = [c for lang, c in info["children"] if lang == "en"][0]
            assert ("pending" in en_class) == (status == "pending")


def test_article_json_export(built_project):
    for page in (built_project / "site" / "articles").glob("*/index.html"):
        slug = page.parent.name
        data = json.loads((built_project / "site" / "data" / "articles" / f"{slug}.json").read_text(encoding="utf-8"))
        for key in ("id", "source_file", "status", "title", "outlet", "authors", "published", "url", "segments",
                    "repairs", "numbers"):
            assert key in data
        assert data["url"] == f"articles/{slug}/"
        assert (built_project / "seeds" / data["source_file"]).exists()
        assert set(data["title"]) == {"zh", "en"} and data["title"]["zh"]
        assert data["published"] == load_meta(built_project / "seeds" / data["source_file"]).published
        assert re.fullmatch(r"20[2-9]\d(-[01]\d(-[0-3]\d)?)?", data["published"])
        for seg in data["segments"]:
            assert set(seg) == {"id", "kind", "zh", "en", "status"}
            assert seg["status"] in ("translated", "stale", "pending")
        for n in data["numbers"]:
            assert set(n) == {"segment", "text", "value", "value_high", "unit", "approx"}


def test_metadata_from_side_files_and_scrapes(built_project):
    by_file = {}
    for f in (built_project / "site" / "data" / "articles").glob("*.json"):
        d = json.loads(f.read_text(encoding="utf-8"))
        by_file[d["source_file"][:3]] = d
    assert by_file["000"]["published"] == "2023-07-23"          # not the spam site's 2024-01-20
    assert by_file["000"]["outlet"]["zh"] == "财联社"
    assert by_file["001"]["published"] == "2023-07-28"
    assert [a["zh"] for a in by_file["001"]["authors"]][:2] == ["卢晓", "石飞月"]
    assert len(by_file["002"]["repairs"]) >= 5 and len(by_file["004"]["repairs"]) >= 14
    fixed = {r["garbled"]: r["fixed"] for r in by_file["002"]["repairs"]}
    assert fixed["?拼笥嶏w"].endswith("科大讯飞")


def test_chrome_is_gone_and_text_is_simplified(built_project):
    text = "".join(s["zh"] for f in (built_project / "site" / "data" / "articles").glob("*.json")
                   for s in json.loads(f.read_text(encoding="utf-8"))["segments"])
    for chrome in ("股票配资", "点击次数", "责任编辑", "原文标题", "本文由入驻", "立即注册", "Powered by", "ICP备", "暂无评论", "(zhàn)"):
        assert chrome not in text
    for traditional in ("訊", "戰", "經", "們"):
        assert traditional not in text
    han = "\u4e00-\u9fff"
    ascii_punct_by_han = re.findall(f"[{han}][,?:;]|[,?:;][{han}]", text)
    assert ascii_punct_by_han == [], ascii_punct_by_han[:5]


def test_home_page_lists_articles_by_date(built_project):
    html = (built_project / "site" / "index.html").read_text(encoding="utf-8")
    order = [html.index(f'data-article-card="{slug}"') for slug in (
        "hundred-model-war-a-share-losses", "capital-cools-on-large-models", "iflytek-first-loss",
        "big-tech-cannot-afford-models", "china-llm-2024-review")]
    assert order == sorted(order)
    dates = {}
    for f in (built_project / "site" / "data" / "articles").glob("*.json"):
        d = json.loads(f.read_text(encoding="utf-8"))
        dates[d["url"].split("/")[1]] = d["published"]
    by_page = sorted(dates, key=lambda slug: html.index(f'data-article-card="{slug}"'))
    assert by_page == sorted(dates, key=lambda slug: dates[slug])


def test_build_is_deterministic(tmp_path):
    from conftest import make_project
    a = make_project(tmp_path / "a")
    b = make_project(tmp_path / "b")
    build(Paths(a))
    build(Paths(b))
    files_a = sorted(p.relative_to(a / "docs") for p in (a / "docs").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b / "docs") for p in (b / "docs").rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a / "docs" / rel).read_bytes() == (b / "docs" / rel).read_bytes(), rel


def test_new_seed_becomes_a_draft_page(project):
    (project / "seeds" / "999_new.txt").write_text("一篇新文章的标题\n\n这是正文第一段。这是第二句。\n", encoding="utf-8")
    out = build(Paths(project))
    assert "articles/999-new/index.md" in out.files
    page = (project / "docs" / "articles" / "999-new" / "index.md").read_text(encoding="utf-8")
    assert 'data-status="draft"' in page and "Translation pending" in page


def test_a_build_removes_what_a_killed_build_left_half_written(project):
    """A build killed in the middle of a write leaves its temporary file; the next build removes it."""
    from scripts.paths import temporary
    leftovers = [temporary(project / "docs" / rel) for rel in ("index.md", "articles/iflytek-first-loss/index.md")]
    for p in leftovers:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("half a page", encoding="utf-8")
    build(Paths(project))
    assert [p for p in leftovers if p.exists()] == []
    assert (project / "docs" / "index.md").exists()


def test_rebuild_in_one_process_equals_a_fresh_build(tmp_path):
    """What `mkdocs serve` keeps in memory between builds (processed and rendered articles, the 繁
    entries of each page, the figure data) never leaks into a rebuild: after a translation and a
    glossary file are edited, the in-process rebuild writes the same docs/ as a fresh process would."""
    import yaml
    from conftest import make_project
    from scripts.cache import Cache
    a, b = make_project(tmp_path / "a"), make_project(tmp_path / "b")
    Cache.memory.clear()
    build(Paths(a))                                   # memory filled from project a
    for proj in (a, b):
        tm = sorted((proj / "seeds").glob("*.en.yml"))[0]
        data = yaml.safe_load(tm.read_text(encoding="utf-8"))
        data["segments"][0]["pairs"][0]["en"] += " (edited)"
        tm.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with (proj / "data" / "timeline.yml").open("a", encoding="utf-8") as f:
            f.write("\n# edited\n")
    build(Paths(a))                                   # a rebuild reusing what memory holds
    Cache.memory.clear()
    build(Paths(b))                                   # b from nothing
    def files(p):
        return {r.relative_to(p / "docs"): r.read_bytes() for r in (p / "docs").rglob("*") if r.is_file()}
    fa, fb = files(a), files(b)
    assert sorted(fa) == sorted(fb)
    assert [rel for rel in fa if fa[rel] != fb[rel]] == []
    assert any(b"(edited)" in data for data in fa.values())


def test_a_rebuild_restores_a_page_changed_by_hand(project):
    """A rebuild in the same process skips the files it wrote itself and nothing touched since, but
    puts back one changed by hand, and the manifest records the bytes now on disk."""
    from scripts.cache import Cache, sha
    build(Paths(project))
    page = project / "docs" / "about.md"
    original = page.read_bytes()
    page.write_bytes(b"changed by hand")
    build(Paths(project))
    assert page.read_bytes() == original
    manifest = Cache(Paths(project)).manifest()
    assert manifest["files"]
    for rel, digest in manifest["files"].items():
        assert sha((project / "docs" / rel).read_bytes()) == digest, rel


def test_a_rebuild_checks_the_quotes_again_when_the_chinese_changes(project):
    """Quotes already checked against the articles are not checked twice, but an edit of the Chinese
    that removes a figure's quote still stops the rebuild in the same process."""
    import pytest
    import yaml
    from scripts.errors import BuildError
    build(Paths(project))
    seeds = find_seeds(project / "seeds")
    points = [p for ds in sorted((project / "data" / "figures").glob("*.yml"))
              for series in yaml.safe_load(ds.read_text(encoding="utf-8")).get("series", [])
              for p in series.get("points", [])]
    found = [(seed, p["quote"]) for p in points for seed in seeds
             if seed.stem.split("_")[0] == str(p["article"]) and p["quote"] in seed.read_text(encoding="utf-8")]
    if not found:
        pytest.skip("no figure quotes a seed verbatim")
    seed, quote = found[0]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(quote, quote[: len(quote) // 2] + "。" + quote[len(quote) // 2:]), encoding="utf-8")
    with pytest.raises(BuildError, match="quote not found"):
        build(Paths(project))
