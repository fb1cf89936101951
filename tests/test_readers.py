"""Input forms, the chrome classifier and metadata with evidence (scripts/readers, chrome, metadata)."""
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from scripts import chrome, clean, ingest, metadata, segment, yamlio
from scripts.build import build
from scripts.pipeline import Context, process
from scripts.chinese import MARK_OPEN
from scripts.errors import BuildError
from scripts.paths import Paths, copy_project
from scripts.readers import detect_format, markdown as md_reader, read_document
from scripts.readers import html as html_reader

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
RULES = clean.load_rules(ROOT / "data" / "cleaning.yml")


def _cases(name, key=None):
    data = yamlio.load(CASES / name)          # dates stay text
    return [pytest.param(c, id=c["label"]) for c in (data[key] if key else data)]


# ---------------------------------------------------------------- the five seeds are unchanged

BASELINE = json.loads((CASES / "seeds_before_readers.json").read_text(encoding="utf-8"))["seeds"]


@pytest.mark.parametrize("name", sorted(BASELINE))
def test_seed_cleans_as_before_the_readers(name):
    """Same kept lines, same title, same segments (id, kind, line, text) as the line-by-line rules gave.
    Segments carrying a mojibake repair on either side are compared by line and kind only."""
    seed = ROOT / "seeds" / name
    if not seed.exists():
        pytest.skip(f"{name} is no longer a seed")
    before = BASELINE[name]
    a = process(seed, Context.load(Paths(ROOT)))
    assert a.cleaned.format == "text"
    assert [l.line for l in a.cleaned.lines] == before["kept_lines"]
    assert a.segmented.title == before["title"]
    now = a.segmented.segments
    assert [(s.line, s.kind) for s in now] == [(s["line"], s["kind"]) for s in before["segments"]]
    for s, b in zip(now, before["segments"]):
        if not b["repaired"] and MARK_OPEN not in s.text:
            assert (s.id, s.plain) == (b["id"], b["text"])


def test_every_seed_line_has_a_verdict_with_a_reason():
    """Plain text: every non-empty line is a block with a verdict. Markdown: every line of visible
    Chinese lies in a block with a verdict (a hard-wrapped paragraph spans several lines; image lines,
    front matter and underlines hold no text). HTML: the extractor drops page furniture before the
    classifier, so only the blocks it gives are judged."""
    for seed_path in ingest.find_seeds(ROOT / "seeds"):
        a = process(seed_path, Context.load(Paths(ROOT)))
        raw_lines = a.seed.text.split("\n")
        assert all(v.reason for v in a.cleaned.verdicts)
        spans = {n for v in a.cleaned.verdicts for n in range(v.block.line, max(v.block.line, v.block.last) + 1)}
        if a.cleaned.format == "text":
            lines = {n for n, raw in enumerate(raw_lines, 1) if raw.replace("\u00a0", " ").strip()}
            assert {v.block.line for v in a.cleaned.verdicts} == lines
        elif a.cleaned.format == "markdown":
            fm = md_reader.split_front_matter(a.seed.text)
            body_start = fm[2] + fm[3]
            han = {n for n, raw in enumerate(raw_lines, 1) if n > body_start and re.search(r"[\u4e00-\u9fff]", raw)}
            assert han <= spans, sorted(han - spans)
        assert all(raw_lines[v.block.line - 1].strip() for v in a.cleaned.verdicts)


# ---------------------------------------------------------------- forms

@pytest.mark.parametrize("case", _cases("readers.yml", "format"))
def test_format_is_recognised_from_the_content(case):
    assert detect_format(case["name"], case["text"])[0] == case["format"]


@pytest.mark.parametrize("case", _cases("readers.yml", "blocks"))
def test_markdown_reader_keeps_text_only(case):
    doc = read_document(case["name"], case["text"])
    assert [[b.kind, b.text] for b in doc.blocks] == case["blocks"]


_WORD = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=8)
_URL = st.from_regex(r"https://[a-z]{1,8}\.(cn|com)/[a-z0-9_]{0,12}", fullmatch=True)


@st.composite
def _markdown_clip(draw):
    """A web clip built from Chinese words and every kind of Markdown markup around them."""
    parts, words = [], []
    for _ in range(draw(st.integers(1, 8))):
        w, url = draw(_WORD), draw(_URL)
        words.append(w)
        parts.append(draw(st.sampled_from([
            f"{w}。", f"**{w}**。", f"*{w}*。", f"[{w}]({url})。", f"![{w}]({url}){w}。", f"{w}<!-- {url} -->。",
            f"# {w}", f"{w}\n===", f"- {w}。", f"> {w}。", f"{w}\\*。", f"<span>{w}</span>。", f"{w}<{url}>。"])))
    return "\n\n".join(parts) + "\n", words


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markdown_clip())
def test_no_markup_or_link_target_reaches_a_block(clip):
    text, words = clip
    blocks, _ = md_reader.read(text)
    joined = "\n".join(b.text for b in blocks)
    assert not re.search(r"https?://|\]\(|!\[|<!--|<span|\*\*|^=+$|^#", joined, re.M)
    for w in words:                      # every word's text survives
        assert w in joined


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_readers_take_any_text(text):
    """Untrusted input: every reader returns blocks of visible text for anything, or nothing."""
    for name in ("a.txt", "a.md", "a.html"):
        doc = read_document(name, text)
        assert doc.format in ("text", "markdown", "html")
        assert all(isinstance(b.text, str) and b.text == b.text.strip() and b.line >= 1 for b in doc.blocks)


PAGE = """<!DOCTYPE html>
<html><head><title>端侧模型的一年 - 某某科技网</title>
<meta property="og:title" content="端侧模型的一年">
<meta property="og:site_name" content="某某科技网">
<meta property="article:published_time" content="2024-07-23T10:00:00+08:00">
<meta name="author" content="张三">
<script>var tracking = "不应出现的脚本文字";</script></head>
<body><nav><a href="/">首页</a> | <a href="/tech">科技</a> | <a href="/car">汽车</a></nav>
<article><h1>端侧模型的一年</h1>
<h2>从演示到量产</h2>
<p>过去一年，端侧模型从演示走向量产，手机厂商纷纷在新机中内置了参数规模在十亿级别的小模型，<b>隐私</b>和时延是两大驱动力。</p>
<p>业内普遍认为，端侧与云端的协同将是下一阶段的主要形态，而芯片厂商也在为此调整产品路线，推出专门的神经网络处理单元。</p>
<!-- 不应出现的注释 -->
<h2>成本之问</h2>
<p>不过，端侧模型的能力上限仍受制于内存与功耗，复杂任务依然需要云端大模型完成，如何分工成为厂商的新课题。</p>
</article>
<footer>版权所有 © 2024 某某科技网</footer></body></html>
"""


def test_html_reader_keeps_headings_and_text_and_reads_metadata():
    doc = read_document("page.html", PAGE)
    assert doc.format == "html"
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert ("heading", "从演示到量产") in kinds and ("heading", "成本之问") in kinds
    joined = "\n".join(b.text for b in doc.blocks)
    assert "隐私和时延" in joined
    assert "不应出现" not in joined and "<" not in joined
    found = {(c.field, c.value, c.evidence) for c in doc.candidates}
    assert ("title", "端侧模型的一年", '<meta property="og:title">') in found
    assert ("outlet", "某某科技网", '<meta property="og:site_name">') in found
    assert ("published", "2024-07-23", '<meta property="article:published_time">') in found
    assert any(c.source == "htmldate" and c.value == "2024-07-23" for c in doc.candidates)


def test_html_block_lines_point_into_the_page():
    doc = read_document("page.html", PAGE)
    lines = PAGE.split("\n")
    for b in doc.blocks:
        assert b.text[:4] in lines[b.line - 1], (b.line, b.text)


def test_legacy_charset_page_is_decoded_by_its_declaration(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.replace("<head>", '<head><meta charset="gb2312">').encode("gb18030"))
    seed = ingest.read_seed(page)
    assert "端侧模型的一年" in seed.text
    page.write_bytes(b'<html><head><meta charset="gbk"></head><body>\x81</body></html>')
    with pytest.raises(BuildError) as exc:
        ingest.read_seed(page)
    assert "declares" in str(exc.value)


_SENTENCES = [line for seed in sorted((ROOT / "seeds").glob("*.txt"))
              for line in seed.read_text(encoding="utf-8").split("\n")
              if len(re.findall(r"[\u4e00-\u9fff]", line)) >= 20 and "\ufffd" not in line]   # enough Chinese to tell


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=4), st.sampled_from(["gbk", "gb2312", "big5"]))
def test_a_page_whose_bytes_contradict_its_declared_charset_stops(tmp_path_factory, lines, declared):
    """A page in the charset it declares reads as it is; the same page saved in the other legacy
    charset under the same declaration (Big5 bytes in a page that says gbk, or the reverse) stops
    with one line naming the charset the bytes are in, never a page of garbage."""
    import opencc
    body = "\n".join(lines)
    big5 = declared == "big5"
    text = opencc.OpenCC("s2t").convert(body) if big5 else body
    page = f'<html><head><meta charset="{declared}"><title>t</title></head><body><p>{text}</p></body></html>'
    path = tmp_path_factory.mktemp("charset") / "page.html"
    try:
        right = page.encode("big5hkscs" if big5 else "gb18030")
    except UnicodeEncodeError:
        reject()
    path.write_bytes(right)
    assert text.split("\n")[0] in ingest.read_seed(path).text
    wrong_text = body if big5 else opencc.OpenCC("s2t").convert(body)
    wrong = f'<html><head><meta charset="{declared}"><title>t</title></head><body><p>{wrong_text}</p></body></html>'
    try:
        path.write_bytes(wrong.encode("gb18030" if big5 else "big5hkscs"))
    except UnicodeEncodeError:
        reject()
    with pytest.raises(BuildError) as exc:
        ingest.read_seed(path)
    message = str(exc.value)
    assert "\n" not in message and ("not valid" in message or "reads as" in message)


# ---------------------------------------------------------------- body or furniture

@pytest.mark.parametrize("case", _cases("chrome.yml"))
def test_chrome_classifier(case):
    doc = read_document(case["name"], case["text"])
    verdicts = clean.classify_blocks(doc, RULES)
    kept = {v.block.text for v in verdicts if v.keep}
    dropped = {v.block.text for v in verdicts if not v.keep}
    for text in case["keep"]:
        assert text in kept, f"{text!r} was removed: " + next(v.reason for v in verdicts if v.block.text == text)
    for text in case["drop"]:
        assert text in dropped, f"{text!r} was kept: " + next(v.reason for v in verdicts if v.block.text == text)
    # every long prose block of these cases is body
    for v in verdicts:
        if len(v.block.text) >= 40 and v.block.text.endswith("。") and "不代表" not in v.block.text:
            assert v.keep, (v.block.text, v.reason)
    # the metadata the case states is found (title, outlet, date, people), with the furniture gone
    found = clean.choose_metadata(clean.metadata_candidates(doc, verdicts))
    for field, value in (case.get("metadata") or {}).items():
        assert field in found and found[field].value == str(value), (field, found.get(field))


def test_chrome_without_rules_still_finds_the_seeds_furniture():
    """The rules are overrides: with none at all, the classifier keeps every line the rules kept."""
    before = BASELINE
    for name, b in before.items():
        seed = ROOT / "seeds" / name
        doc = clean.read_document(ingest.read_seed(seed))
        kept = {v.block.line for v in clean.classify_blocks(doc, ()) if v.keep}
        assert set(b["kept_lines"]) <= kept
        extra = kept - set(b["kept_lines"])
        assert len(extra) <= 1, (name, extra)       # 003: a login slogan only a rule names


_TOOLBAR_BITS = ["【", "】", "[", "]", "字号", "字体", "：", "大", " 中 ", "小", "打印", "关闭", "我要评论(0)", "日期", "来源",
                 "作者", "2015-01-17", "某某", "社区", "。", "，", "纠错", "收藏", "\t", " "]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOOLBAR_BITS), max_size=60))
def test_toolbar_items_are_only_ever_taken_out(bits):
    """Whatever mix of toolbar words, brackets, fields and prose a line holds, reading it without its
    toolbar only removes: the Chinese left is the line's own, in its order, and a second pass has
    nothing more to take out."""
    line = "".join(bits)
    out = chrome.without_toolbar(line)
    han = iter(chrome.HAN.findall(line))
    assert all(c in han for c in chrome.HAN.findall(out))          # a subsequence of the line's Chinese
    assert len(out) <= len(line)
    assert chrome.without_toolbar(out) == out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="某公司发布新模型首页网 -|_", max_size=20), max_size=8))
def test_a_window_title_is_another_line_with_a_site_name(views):
    for i in chrome.title_bars(views):
        m = chrome.TITLE_BAR_TAIL.search(views[i].strip())
        head = views[i].strip()[:m.start()].strip()
        assert any(v.strip() == head for j, v in enumerate(views) if j != i) and head != views[i].strip()


@pytest.mark.parametrize("view,menu", [("首页 > 科技 > 正文", True), ("人工智能 猎头职位 更多", True),
                                       ("中国在开源 AI 的布局", False), ("大模型，狂热资本走向冷静|2023中国经济半年报", False)])
def test_menu_shape(view, menu):
    assert chrome.is_menu(view) is menu


# ---------------------------------------------------------------- metadata

@pytest.mark.parametrize("case", _cases("metadata.yml", "lines"))
def test_metadata_lines(case):
    assert [[c.field, c.value] for c in metadata.meta_line(case["line"], 1)] == case["expect"]


@pytest.mark.parametrize("case", _cases("metadata.yml", "datelines"))
def test_datelines(case):
    assert [[c.field, c.value] for c in metadata.dateline(case["line"], 1)] == case["expect"]


def test_dateline_year_comes_from_the_page_date_and_beats_the_hosting_line():
    seed = ROOT / "seeds" / "000_171d0b4a7f7a72ca.txt"
    c = clean.clean(ingest.read_seed(seed), ingest.load_meta(seed), RULES)
    e = c.evidence["published"]
    assert (e.value, e.source, e.line) == ("2023-07-23", "dateline", 8)
    assert "2024-01-20" in e.note
    assert c.evidence["outlet"].value == "财联社" and c.evidence["editors"].value == "俞琪"


CLIP = """---
title: "端侧模型的一年"
author:
  - "[[张三]]"
published: 2024-07-23
source: https://example.cn/a
---
![cover](https://img.example.cn/1.png)

# 端侧模型的一年

Original 张三 某某科技观察 *2024年07月23日 08:30*

过去一年，端侧模型从演示走向量产，手机厂商纷纷在新机中内置了参数规模在十亿级别的小模型，[详见](https://example.cn/b)。

## 成本之问

不过，端侧模型的能力上限仍受制于内存与功耗，复杂任务依然需要云端大模型完成，如何分工成为新课题。

继续滑动看下一个
"""


def _draft_project(tmp_path, name, text, side=""):
    proj = copy_project(tmp_path / "proj", seeds=False, figures=False)
    (proj / "seeds" / name).write_text(text, encoding="utf-8")
    if side:
        (proj / "seeds" / (Path(name).stem + ".yml")).write_text(side, encoding="utf-8")
    return proj


def test_markdown_clip_builds_as_a_draft_with_metadata_and_evidence(tmp_path):
    proj = _draft_project(tmp_path, "clip.md", CLIP)
    (proj / "seeds" / "README.md").write_text("# not an article\n", encoding="utf-8")
    out = build(Paths(proj))
    page = out.files["articles/clip/index.md"]
    assert "端侧模型的一年" in page and 'datetime="2024-07-23"' in page and "某某科技观察" in page
    assert "Found in the scrape" in page and "front matter" in page
    for junk in ("https://", "](", "![", "继续滑动", "Original"):
        assert junk not in page.split("bm-provenance")[-1].split("</details>")[-1], junk
    assert not any("readme" in f for f in out.files)
    a = process(proj / "seeds" / "clip.md", Context.load(Paths(proj)))
    assert a.title_zh == "端侧模型的一年" and a.cleaned.format == "markdown"
    assert [p.zh for p in a.people] == ["张三"]
    assert [s.kind for s in a.segmented.segments] == ["paragraph", "heading", "paragraph"]


def test_a_title_written_twice_at_the_head_reaches_the_page_once(tmp_path):
    """html2text writes the page's <title> and the article's own <h1>: both are the title."""
    clip = "# 端侧模型的一年\n\n# 端侧模型的一年\n\n文 | 张三\n\n" + CLIP.split("*2024年07月23日 08:30*\n\n")[1]
    proj = _draft_project(tmp_path, "clip.md", clip)
    a = process(proj / "seeds" / "clip.md", Context.load(Paths(proj)))
    assert a.title_zh == "端侧模型的一年"
    assert all(s.plain != "端侧模型的一年" for s in a.segmented.segments)
    assert [c.why for c in a.cleaned.report if c.before == "端侧模型的一年"] == \
        ["article title (shown in the header)", "the article title again"]
    assert a.segmented.segments[0].plain.startswith("过去一年")


def test_side_file_overrides_what_the_scrape_says(tmp_path):
    side = "title: {zh: 编辑定的标题, en: An editor's title}\noutlet: {zh: 某报, en: Some Paper}\npublished: 2024-08\n"
    proj = _draft_project(tmp_path, "clip.md", CLIP, side)
    a = process(proj / "seeds" / "clip.md", Context.load(Paths(proj)))
    assert (a.title_zh, a.outlet_zh, a.published) == ("编辑定的标题", "某报", "2024-08")


def test_side_file_beside_a_markdown_seed_is_not_an_orphan(tmp_path):
    proj = _draft_project(tmp_path, "clip.md", CLIP, "slug: clip\n")
    build(Paths(proj))
    (proj / "seeds" / "clip.md").unlink()
    with pytest.raises(BuildError, match="side file for a missing article"):
        build(Paths(proj))


def test_report_shows_form_metadata_and_a_reason_for_every_block(tmp_path, capsys):
    from scripts.__main__ import main
    proj = _draft_project(tmp_path, "clip.md", CLIP)
    assert main(["--root", str(proj), "clean", "clip", "--report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("format: markdown (YAML front matter")
    assert re.search(r"published\s+2024-07-23\s+← front matter — line 5", out)
    assert re.search(r"\d+ removed\s+furniture words \(继续滑动、看下一个\)", out)
    assert re.search(r"\d+ kept\s+prose: 过去一年", out)


def test_segment_kind_follows_markup(tmp_path):
    lines = [clean.CleanLine(1, "很长的一行但它是标题因为标记说它是标题，而且还有逗号。", "heading")]
    c = clean.Cleaned(lines, [], {})
    s = segment.segment(c, ingest.Meta(slug="x", title=ingest.Bilingual("题")))
    assert s.segments[0].kind == "heading"


def test_building_leaves_a_markdown_seed_byte_for_byte(tmp_path):
    proj = _draft_project(tmp_path, "clip.md", CLIP)
    before = (proj / "seeds" / "clip.md").read_bytes()
    build(Paths(proj))
    assert (proj / "seeds" / "clip.md").read_bytes() == before


def test_bench_row_for_ingest_and_clean_throughput():
    from scripts import bench
    files = bench.ingest_clean_files()
    (name, rate, base, target, sense), = bench.ingest_clean(files, repeat=1, loops=1)
    assert name.startswith("ingest + clean throughput") and f"{len(files)} scrapes" in name
    assert rate > 0 and base is None and sense == "≥" and target == bench.INGEST_CLEAN_TARGET


def test_front_matter_alias_bomb_is_read_in_bounded_time():
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{'abcdefghij'[i]}: &{'abcdefghij'[i]} [" + ", ".join([f"*{'abcdefghij'[i - 1]}"] * 9) + "]")
    lines += ["author: *i", "title: 标题", "---", "正文。"]
    blocks, cands = md_reader.read("\n".join(lines) + "\n")
    assert [b.text for b in blocks] == ["正文。"]
    assert ("title", "标题") in {(c.field, c.value) for c in cands}
    assert all(len(c.evidence) < 200 for c in cands)


def test_a_collectors_record_gives_title_and_date_with_evidence(tmp_path):
    """标题:/发布时间:/正文: — the title and the date come from the record's fields, the body keeps the
    paragraph the 正文 label was glued to, and no label reaches the text."""
    seed = tmp_path / "record.txt"
    seed.write_text("标题:国产芯片厂商加速布局推理市场？\n发布时间:2024-06-18 09:12\n"
                    "正文:据了解，今年以来已有十余家国产芯片公司发布了面向大模型推理的加速卡，其中多款产品已经进入采购名单。\n"
                    "分析人士指出，训练市场仍由海外产品主导，但推理市场对成本更敏感，为国产厂商留出了窗口。\n", encoding="utf-8")
    s = ingest.read_seed(seed)
    ev = clean.infer_metadata(s, RULES)
    assert (ev["title"].value, ev["title"].source, ev["title"].line) == ("国产芯片厂商加速布局推理市场？", "title line", 1)
    assert ev["published"].value == "2024-06-18"
    kept = [v.block.text for v in clean.classify_blocks(clean.read_document(s), RULES) if v.keep]
    assert kept[0].startswith("据了解") and not any(k.startswith(("标题", "发布时间", "正文")) for k in kept)
