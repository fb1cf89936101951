"""Figures stage: the data in data/figures/ and data/timeline.yml against the articles, the SVGs, the errors."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from scripts import figures as F
from scripts.errors import BuildError
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "data" / "figures"
TIMELINE = ROOT / "data" / "timeline.yml"
DATASETS = F.load_datasets(FIGURES)
EVENTS = F.load_timeline(TIMELINE)
POINTS = [(ds, p) for ds in DATASETS for p in ds.points]


def _article_years() -> dict[str, int]:
    """The year each article was written in (its side file's published date), to resolve 今年 / 去年 / 两年前."""
    from scripts.ingest import find_seeds, load_meta
    years = {p.name[:3]: load_meta(p).published[:4] for p in find_seeds(ROOT / "seeds")}
    return {name: int(year) for name, year in years.items() if year}


ARTICLE_YEAR = _article_years()


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    from scripts.pipeline import Context, process
    from scripts.ingest import find_seeds
    ctx = Context.load(Paths())
    return {p.name[:3]: "\n".join(s.plain for s in process(p, ctx).segmented.segments)
            for p in find_seeds(ctx.paths.seeds)}


def test_enough_data():
    assert len(DATASETS) >= 9
    assert len(EVENTS) >= 28
    assert all(len(ds.points) >= 2 for ds in DATASETS)


def test_ids_are_file_names_and_unique():
    assert [ds.id for ds in DATASETS] == sorted(p.stem for p in FIGURES.glob("*.yml"))
    assert len({ds.id for ds in DATASETS}) == len(DATASETS)


@pytest.mark.parametrize("ds,point", POINTS, ids=[f"{ds.id}:{p.line}" for ds, p in POINTS])
def test_point_quote_and_reading(ds, point, texts):
    assert point.quote in texts[point.article], f"{ds.id}: quote not in article {point.article}"
    assert point.reading in point.quote
    stated = F.reading_values(point.reading)
    assert any(abs(abs(point.value) - v) <= 1e-9 * v for v in stated), (point.value, point.reading)
    if point.value_high is not None:
        assert any(abs(abs(point.value_high) - v) <= 1e-9 * v for v in stated)


@pytest.mark.parametrize("event", EVENTS, ids=[f"{e.date}:{e.line}" for e in EVENTS])
def test_event_quote(event, texts):
    assert event.quote in texts[event.article]


@pytest.mark.parametrize("event", EVENTS, ids=[f"{e.date}:{e.line}" for e in EVENTS])
def test_event_date_agrees_with_quote(event):
    """The date is what the quote says: its years, months and days, relative years resolved with the
    article's year ('今年6月' in a 2024 article is 2024-06)."""
    q = event.quote
    year = ARTICLE_YEAR[event.article]
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})年", q)]
    years += [2000 + int(y) for y in re.findall(r"(?<!\d)(\d{2})年", q)]
    years += [year] * ("今年" in q or "现在" in q) + [year - 1] * ("去年" in q) + [year - 2] * ("两年前" in q)
    parts = event.date.split("-")
    if "同年" in q:     # 'in the same year': the year is in the sentence before the quote
        pass
    elif years:
        assert int(parts[0]) in years, f"{event.date} but the quote says {years}"
    else:   # a bare month and day: the article's own year
        assert int(parts[0]) == year
    months = [int(m) for m in re.findall(r"(?<!\d)(\d{1,2})月", q)]
    if len(parts) > 1 and months:
        assert int(parts[1]) in months
    days = [int(d) for d in re.findall(r"月(\d{1,2})日", q)]
    if len(parts) > 2:
        assert days and int(parts[2]) in days


def test_timeline_in_date_order():
    assert [e.date for e in EVENTS] == sorted(e.date for e in EVENTS)


def test_check_quotes_passes(texts):
    F.check_quotes(DATASETS, EVENTS, texts)


@pytest.mark.parametrize("ds", DATASETS, ids=[d.id for d in DATASETS])
def test_render_reproducible_text_as_paths(ds):
    first, second = F.render_svg(ds), F.render_svg(ds)
    assert first == second
    svg = first.decode("utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "<text" not in svg                       # text drawn as paths: no font needed to read it
    assert len(first) < 250_000
    assert len(re.findall(r'<path id="g[a-z]+[0-9a-f]+" d="m', svg)) > 40    # glyph outlines, drawn once each


def test_missing_glyph_is_an_error():
    """A character the CJK font lacks would show as an empty box: rendering refuses it."""
    import dataclasses
    ds = dataclasses.replace(DATASETS[0], title=F.Bilingual("测试\U00013000", "Test"))
    with pytest.raises(BuildError, match="is not in the figure font"):
        F.render_svg(ds)


def test_render_timeline():
    first, second = F.render_timeline_svg(EVENTS), F.render_timeline_svg(EVENTS)
    assert first == second
    svg = first.decode("utf-8")
    texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
    dated = sum(1 for e in EVENTS if len(e.date) > 4)     # a year alone stands in the year column only
    assert len(texts) >= len(EVENTS) * 2 + dated            # date, Chinese, English per event: real text
    assert all("\n" not in t for t in texts)                # one line each, anchored: no font can misplace it
    assert set(re.findall(r"font-family: ([^;\"]+)", svg)) == {F.STYLE["font_stack"]}
    assert "sans-serif" in F.STYLE["font_stack"]
    assert EVENTS[0].event.zh in texts
    assert len(first) < 1_600 * len(EVENTS)               # about 1.4 KB per event with its three lines


def test_timeline_text_leaves_room_for_a_wider_font():
    """Laid out in Noto Sans CJK, every line must end short of the right edge by the headroom, so a
    reader's substitute Latin face (often wider) still fits."""
    import matplotlib
    from matplotlib.figure import Figure
    captured = {}
    original = Figure.savefig

    def capture(fig, *args, **kwargs):
        captured["fig"] = fig
        return original(fig, *args, **kwargs)

    Figure.savefig = capture
    F.warm_up()
    try:
        with matplotlib.rc_context(F._rc()):
            F.render_timeline_svg(EVENTS)
            fig = captured["fig"]
            renderer = fig.canvas.get_renderer()
            width = fig.bbox.width
            right = max(t.get_window_extent(renderer).x1 for ax in fig.axes for t in ax.texts)
    finally:
        Figure.savefig = original
    assert right <= width * (1 - F.STYLE["text_headroom"]), (right, width)


def test_font_is_the_bundled_cjk_font():
    """Figures are drawn in the font the project carries (docs/assets/fonts/), found by path."""
    from matplotlib import font_manager
    from scripts import fonts
    F.warm_up()
    assert F._font_family() == [fonts.FAMILY]
    for weight, path in zip(("normal", "bold"), fonts.files()):
        found = font_manager.findfont(font_manager.FontProperties(family=fonts.FAMILY, weight=weight),
                                      fallback_to_default=False)
        assert Path(found) == path


@pytest.mark.parametrize("ds,point", POINTS, ids=[f"{ds.id}:{p.line}" for ds, p in POINTS])
def test_point_english_is_the_pages(ds, point, texts):
    """A chart's English for a point is the English the article page shows (its tooltip) for the
    figure at the point's reading, read in the whole article as the page reads it; only the chart's
    sign (a fall drawn negative) differs."""
    import dataclasses

    from scripts.annotate import numbers
    text = texts[point.article]
    at = text.index(point.quote) + point.quote.index(point.reading)
    page = [m for m in numbers.find(text) if m.start < at + len(point.reading) and at < m.end and m.unit != "date"]
    [m] = [m for m in page if numbers.stating(m.text, point.value)]
    unsigned = dataclasses.replace(point, value=abs(point.value),
                                   value_high=None if point.value_high is None else abs(point.value_high))
    assert F.english_reading(unsigned, ds.unit) == numbers.english(m)
    signed = F.english_reading(point, ds.unit)
    assert signed.replace(numbers.MINUS, "") == numbers.english(m) or point.value_high is not None


def test_english_reading_takes_the_readings_hedge():
    point = F.Point(F.Bilingual("讯飞翻译机", "Translator"), 300, None, "002", "销量同比增长超300%", "超300%")
    assert F.english_reading(point, "%") == "over 300%"
    point = F.Point(F.Bilingual("亏损", "Loss"), -540000000, None, "001", "5.4亿美元左右的亏损", "5.4亿美元左右")
    assert F.english_reading(point, "USD") == "about \u2212US$540 million"
    assert F.qualifier(point) == "about"


def test_reading_values():
    assert F.reading_values("2.86亿元至3.82亿元") == [286000000.0, 382000000.0]
    assert F.reading_values("60%-70%") == [60.0, 70.0]
    assert F.reading_values("5000万元") == [50000000.0]
    assert F.reading_values("1.1万亿美元") == [1.1e12]
    assert F.reading_values("四成左右") == [40.0]


def test_dataset_csv():
    ds = next(d for d in DATASETS if len(d.series) > 1)
    rows = F.dataset_csv(ds).splitlines()
    assert rows[0] == "series_en,label_zh,label_en,value,value_high,unit,value_en,article,quote"
    assert len(rows) == 1 + len(ds.points)
    first = ds.series[0].points[0]
    assert f",{F.english_reading(first, ds.unit)},{first.article}," in rows[1] and first.quote in rows[1]


# ---------------------------------------------------------------- broken input

GOOD = """\
id: {stem}
title: {{zh: 测试, en: Test}}
kind: barh
unit: {unit}
y_label: {{zh: 净利润, en: Net profit}}
alt: A test figure.
caption: {{en: A test., zh: 测试。}}
series:
  - name: {{zh: 净利润, en: Net profit}}
    points:
      - label: {{zh: 浪潮信息, en: Inspur Information}}
        value: 286000000
        value_high: 382000000
        article: "000"
        quote: {quote}
        reading: 2.86亿元至3.82亿元
"""
QUOTE = "浪潮信息上半年实现归母净利润2.86亿元至3.82亿元"


def write(tmp_path: Path, stem="broken", unit="CNY", quote=QUOTE, text=None) -> Path:
    d = tmp_path / "figures"
    d.mkdir(exist_ok=True)
    p = d / f"{stem}.yml"
    p.write_text(text if text is not None else GOOD.format(stem=stem, unit=unit, quote=quote), encoding="utf-8")
    return p


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_good_fixture_loads(tmp_path, texts):
    write(tmp_path)
    [ds] = F.load_datasets(tmp_path / "figures")
    F.check_quotes([ds], [], texts)


def test_missing_quote(tmp_path):
    p = write(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace(f"        quote: {QUOTE}\n", ""), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        F.load_datasets(tmp_path / "figures")
    assert str(exc.value).startswith(f"{p}:{line_of(p, '- label:')}: ")
    assert "point lacks quote — add `quote:`" in str(exc.value)


def test_quote_not_in_article(tmp_path, texts):
    p = write(tmp_path, quote="浪潮信息上半年净利润2.86亿元")
    datasets = F.load_datasets(tmp_path / "figures")
    with pytest.raises(BuildError) as exc:
        F.check_quotes(datasets, [], texts)
    assert str(exc.value) == (f"{p}:{line_of(p, 'quote:')}: quote not found in article 000 — "
                              "copy it exactly from python -m scripts clean 000")


# One mistake in an otherwise good dataset file -> (stage, the line named, how the message starts).
DATASET_MISTAKES = {
    "unknown unit": ('unit: CNY', 'unit: 亿元', "load", "unit:", "unknown unit"),
    "reading not in quote": ("reading: 2.86亿元至", "reading: 2.87亿元至", "check", "reading:",
                             "reading '2.87亿元至3.82亿元' is not part of the quote"),
    "half of a range": ("        value_high: 382000000\n", "", "check", "reading:",
                        "the chart would say 'RMB 286 million' where the article page says 'RMB 286–382 million'"),
    "reading without its hedge": ('value: 286000000\n        value_high: 382000000\n        article: "000"\n'
                                  "        quote: 浪潮信息上半年实现归母净利润2.86亿元至3.82亿元\n        reading: 2.86亿元至3.82亿元",
                                  'value: 500000000\n        article: "004"\n        quote: 每年发放最高5亿元“训力券”\n'
                                  "        reading: 5亿元",
                                  "check", "reading:", "the chart would say 'RMB 500 million' where the article page says "
                                  "'up to RMB 500 million' (最高5亿元)"),
    "reading in another unit": ("unit: CNY", "unit: USD", "check", "reading:",
                                "reading '2.86亿元至3.82亿元' states CNY, the figure is in USD"),
    "value not what the reading says": ("value: 286000000", "value: 2.86", "check", "- label:",
                                        "value 2.86 is not a number the reading"),
    "unquoted article id": ('article: "000"', "article: 000", "load", "article:", "article must be a three-digit seed id"),
    "unknown article": ('article: "000"', 'article: "009"', "check", "- label:", "no article 009"),
}


@pytest.mark.parametrize("mistake", sorted(DATASET_MISTAKES))
def test_dataset_mistake_names_file_and_line(tmp_path, texts, mistake):
    old, new, stage, anchor, message = DATASET_MISTAKES[mistake]
    p = write(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        datasets = F.load_datasets(tmp_path / "figures")
        assert stage == "check", f"{mistake}: loading should have failed"
        F.check_quotes(datasets, [], texts)
    assert str(exc.value).startswith(f"{p}:{line_of(p, anchor)}: {message}")


CREDIT = """\
source:
  - name: {zh: Wind, en: Wind}
    article: "000"
    quote: QUOTE
series:"""


def test_source_credit_loads_and_is_checked(tmp_path, texts):
    """A figure may name the source its article credits, with the words that credit it; the words must
    be in that article (file:line otherwise), and the field is optional."""
    p = write(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace("series:", CREDIT.replace("QUOTE", "Wind数据显示"), 1),
                 encoding="utf-8")
    [ds] = F.load_datasets(tmp_path / "figures")
    assert [(c.name.en, c.article, c.quote) for c in ds.source] == [("Wind", "000", "Wind数据显示")]
    F.check_quotes([ds], [], texts)
    p.write_text(p.read_text(encoding="utf-8").replace("Wind数据显示", "彭博数据显示"), encoding="utf-8")
    [ds] = F.load_datasets(tmp_path / "figures")
    with pytest.raises(BuildError) as exc:
        F.check_quotes([ds], [], texts)
    assert str(exc.value).startswith(f"{p}:{line_of(p, '彭博数据显示')}: source quote not found in article 000")
    p.write_text(p.read_text(encoding="utf-8").replace("    quote: 彭博数据显示\n", "    qoute: x\n"), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        F.load_datasets(tmp_path / "figures")
    assert str(exc.value).startswith(f"{p}:{line_of(p, 'qoute')}: unknown field 'qoute'")
    assert "quote" in str(exc.value)


def test_every_source_credit_names_its_article(texts):
    """The project's credits: each quote is in its article and names the source it credits."""
    credited = [(ds, c) for ds in DATASETS for c in ds.source]
    assert len(credited) >= 8
    for ds, c in credited:
        assert c.quote in texts[c.article], (ds.id, c.quote)
        assert c.article in ds.articles, ds.id
        # the credit's words hold the name the article prints (CB Insights as 'CBInsights', 公告 …)
        words = [w for w in re.split(r"[\s（）()]+", c.name.zh) if w]
        assert any(w in c.quote or c.quote in w or w[:2] in c.quote for w in words), (ds.id, c.name.zh, c.quote)


def test_credit_in_an_article_the_figure_does_not_use(tmp_path):
    from scripts import figure_pages
    from scripts.pipeline import Context, load_articles
    ctx = Context.load(Paths())
    p = write(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace("series:", CREDIT.replace('"000"', '"004"').replace(
        "QUOTE", "Wind数据显示"), 1), encoding="utf-8")
    datasets = F.load_datasets(tmp_path / "figures")
    with pytest.raises(BuildError) as exc:
        figure_pages.locate(load_articles(ctx), datasets, [], tmp_path)
    assert "whose numbers this figure does not use" in str(exc.value)


def test_id_must_match_file_name(tmp_path):
    p = write(tmp_path, stem="broken")
    p.rename(p.with_name("other.yml"))
    p = p.with_name("other.yml")
    with pytest.raises(BuildError) as exc:
        F.load_datasets(tmp_path / "figures")
    assert str(exc.value).startswith(f"{p}:{line_of(p, 'id:')}: id 'broken' does not match")


def test_timeline_errors(tmp_path, texts):
    p = tmp_path / "timeline.yml"
    p.write_text(textwrap.dedent("""\
        - date: "2023-05-06"
          event: {zh: 科大讯飞发布讯飞星火认知大模型, en: iFlytek launches Spark}
          article: "002"
          quote: 2023年5月6日，科大讯飞正式发布讯飞星火认知大模型
        - date: "2023-02-30"
          event: {zh: 不存在, en: No such day}
          article: "002"
          quote: 2023年5月6日
        """), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        F.load_timeline(p)
    assert str(exc.value).startswith(f"{p}:5: date '2023-02-30' is not a real date")
    p.write_text(p.read_text(encoding="utf-8").replace('"2023-02-30"', '"2023-05"')
                 .replace("quote: 2023年5月6日\n", "quote: 2023年5月7日\n"), encoding="utf-8")
    events = F.load_timeline(p)
    with pytest.raises(BuildError) as exc:
        F.check_quotes([], events, texts)
    assert str(exc.value).startswith(f"{p}:8: quote not found in article 002")


def test_missing_folder_and_file(tmp_path):
    assert F.load_datasets(tmp_path / "nothing") == []
    assert F.load_timeline(tmp_path / "nothing.yml") == []


def _svg_cases():
    data = yaml.safe_load((ROOT / "tests" / "cases" / "svg_compact.yml").read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["label"]) for c in data]


@pytest.mark.parametrize("case", _svg_cases())
def test_svg_compact_cases(case):
    """svg.compact over the case table tests/cases/svg_compact.yml: each input gives exactly its output."""
    from scripts.figures.svg import compact
    assert compact(case["svg"], "'Noto Sans CJK SC', sans-serif") == case["compact"]


def test_svg_compact_golden_figure():
    """A whole small figure as matplotlib wrote it, and its compact form: the same bytes on any machine
    (no matplotlib, no font needed), and compacting twice changes nothing."""
    from scripts.figures.svg import compact
    raw = (ROOT / "tests" / "cases" / "svg" / "raw.svg").read_text(encoding="utf-8")
    golden = (ROOT / "tests" / "cases" / "svg" / "compact.svg").read_text(encoding="utf-8")
    assert compact(raw, F.STYLE["font_stack"]) == golden
    assert compact(golden, F.STYLE["font_stack"]) == golden
    assert len(golden) < 0.8 * len(raw)
