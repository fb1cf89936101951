"""Glossary and who's who: validation with file and line, matching rules, pages and exports."""
import csv
import io
import json
from pathlib import Path

import pytest

from scripts.annotate import Lexicon
from scripts.annotate.terms import load_terms, validate
from scripts.build import build
from scripts.errors import BuildError
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load(ROOT / "data")


def test_sizes_and_required_terms(lexicon):
    glossary = [t for t in lexicon.terms if t.kind == "glossary"]
    entities = [t for t in lexicon.terms if t.kind == "entity"]
    assert len(glossary) >= 60 and len(entities) >= 60
    forms = {f for t in lexicon.terms for f in t.forms}
    for required in ("百模大战", "六小虎", "AI四小龙", "新AI四小龙", "大浪淘沙", "生死战", "价格战", "通用大模型",
                     "垂直大模型", "基础模型", "多模态", "幻觉", "自博弈强化学习", "算力", "独角兽", "烧钱", "文生图",
                     "A股", "归母净利润", "同比", "环比", "一级市场", "二级市场", "概念股", "新质生产力", "训力券",
                     "语料券", "模型券", "科大讯飞", "浪潮信息", "智谱AI", "月之暗面", "文心一言", "通义千问", "豆包",
                     "混元", "Kimi", "摩根士丹利", "高盛", "IDC", "弗若斯特沙利文"):
        assert required in forms, required
    assert any("Scaling Law" in t.forms for t in lexicon.terms)


def test_pinyin_has_tone_marks(lexicon):
    by_zh = {t.zh: t for t in lexicon.terms}
    assert by_zh["百模大战"].pinyin == "bǎi mó dà zhàn"
    assert by_zh["行业大模型"].pinyin.startswith("háng yè")


def test_longest_match_and_word_edges(lexicon):
    found = [t.zh for _, _, t in lexicon.matcher.find("通用大模型和各大厂商，大厂的AI四小龙与新AI四小龙")]
    assert "通用大模型" in found and "大模型" not in found
    assert found.count("大厂") == 1
    assert "新AI四小龙" in found and "AI四小龙" in found


def write(tmp_path, text):
    p = tmp_path / "glossary.yml"
    p.write_text(text, encoding="utf-8")
    return p


ENTRY = "- id: {id}\n  zh: {zh}\n  en: x\n  category: industry\n  definition: d\n"


def test_duplicate_id_names_both_lines(tmp_path):
    p = write(tmp_path, ENTRY.format(id="a", zh="甲") + ENTRY.format(id="a", zh="乙"))
    with pytest.raises(BuildError) as exc:
        validate(load_terms(p, "glossary"))
    assert str(exc.value).startswith(f"{p}:6:") and "duplicate id 'a'" in str(exc.value) and ":1)" in str(exc.value)


def test_surface_form_claimed_twice(tmp_path):
    p = write(tmp_path, ENTRY.format(id="a", zh="甲") + ENTRY.format(id="b", zh="乙") + "  match: [甲]\n")
    with pytest.raises(BuildError) as exc:
        validate(load_terms(p, "glossary"))
    assert "'甲' is claimed by 'b' and by 'a'" in str(exc.value)


def test_missing_field_and_bad_category(tmp_path):
    p = write(tmp_path, "- id: a\n  zh: 甲\n  en: x\n  category: industry\n")
    with pytest.raises(BuildError) as exc:
        load_terms(p, "glossary")
    assert f"{p}:1:" in str(exc.value) and "lacks definition" in str(exc.value)
    p = write(tmp_path, ENTRY.format(id="a", zh="甲").replace("industry", "gossip"))
    with pytest.raises(BuildError) as exc:
        load_terms(p, "glossary")
    assert f"{p}:4:" in str(exc.value) and "unknown category" in str(exc.value)


def test_unknown_related_id(tmp_path):
    p = write(tmp_path, ENTRY.format(id="a", zh="甲") + "  related: [nope]\n")
    with pytest.raises(BuildError) as exc:
        validate(load_terms(p, "glossary"))
    assert "unknown id 'nope'" in str(exc.value)


def test_duplicate_yaml_key_is_an_error(tmp_path):
    p = write(tmp_path, "- id: a\n  zh: 甲\n  zh: 乙\n  en: x\n  category: industry\n  definition: d\n")
    with pytest.raises(BuildError) as exc:
        load_terms(p, "glossary")
    assert f"{p}:3:" in str(exc.value) and "duplicate key 'zh'" in str(exc.value)


def test_exports_and_pages(project):
    build(Paths(project))
    docs = project / "docs"
    for name in ("glossary.json", "entities.json"):
        entries = json.loads((docs / "data" / name).read_text(encoding="utf-8"))
        assert len(entries) >= 60
        for e in entries:
            assert {"id", "zh", "zh_hant", "pinyin", "en", "variants", "category", "definition", "occurrences"} <= set(e)
    gloss = {e["zh"]: e for e in json.loads((docs / "data" / "glossary.json").read_text(encoding="utf-8"))}
    assert gloss["百模大战"]["pinyin"] == "bǎi mó dà zhàn" and gloss["百模大战"]["zh_hant"] == "百模大戰"
    occ = gloss["百模大战"]["occurrences"]
    assert len({o["article"] for o in occ}) >= 3 and all(o["segment"] for o in occ)
    rows = list(csv.reader(io.StringIO((docs / "data" / "glossary.csv").read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["id", "zh", "zh_hant", "pinyin", "en"] and len(rows) > 60
    anki = (docs / "data" / "glossary-anki.tsv").read_text(encoding="utf-8").splitlines()
    assert anki[0] == "#separator:tab" and all(len(line.split("\t")) == 3 for line in anki[3:])
    page = (docs / "glossary" / "index.md").read_text(encoding="utf-8")
    assert 'id="bai-mo-da-zhan"' in page and "../articles/" in page
    article = (docs / "articles" / "china-llm-2024-review" / "index.md").read_text(encoding="utf-8")
    assert 'href="../../glossary/#' in article and 'class="gl' in article and "Terms in this article" in article


_PHRASES = ["软件", "发展", "人工智能", "百川智能", "后台", "数据", "网络", "信息", "质量", "里面", "干", "发", "台",
            "面", "云", "系统", "程序", "内存", "视频", "智谱", "月之暗面", "为", "群", "着", "范", "历"]


def test_batched_traditional_conversion_equals_one_run_at_a_time():
    """hant_runs converts many runs in one OpenCC call; each run comes out as it does alone, names
    (converted character by character) included, over random runs made of phrases that change in
    Taiwan's standard (软件 -> 軟體) and characters with several Traditional forms (干, 发, 台)."""
    import re as _re
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from scripts.annotate.words import hant_runs, hant_text
    names_re = _re.compile("百川智能|月之暗面|智谱")
    run = st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=5).map("".join)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(run, min_size=1, max_size=12, unique=True), st.sampled_from(["tw", "hk"]), st.booleans())
    def check(runs, std, with_names):
        nr = names_re if with_names else None
        assert hant_runs(runs, std, nr) == [hant_text(r, std, nr) for r in runs]
    check()
