"""Stage behaviour: segmentation ids, sentence splitting, translation-memory alignment."""
from pathlib import Path

from scripts import align, clean, ingest, memory_edit, segment
from scripts.pipeline import Context, process
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


def segments_of(text: str, tmp_path: Path, meta_yaml: str = "", sub: str = ""):
    if sub:
        tmp_path = tmp_path / sub
        tmp_path.mkdir()
    seed = tmp_path / "x.txt"
    seed.write_text(text, encoding="utf-8")
    if meta_yaml:
        seed.with_suffix(".yml").write_text(meta_yaml, encoding="utf-8")
    rules = clean.load_rules(ROOT / "data" / "cleaning.yml")
    meta = ingest.load_meta(seed)
    return segment.segment(clean.clean(ingest.read_seed(seed), meta, rules), meta)


ARTICLE = "标题在这里\n\n第一段。第二句！\n\n小标题\n\n第二段，“引号里的话。”后面还有。\n"


def test_sentences_keep_closing_quotes():
    assert segment.split_sentences("一句。二句！“三句？”四") == ("一句。", "二句！", "“三句？”", "四")


def test_kinds_and_title(tmp_path):
    s = segments_of(ARTICLE, tmp_path)
    assert s.title == "标题在这里"
    assert [x.kind for x in s.segments] == ["paragraph", "heading", "paragraph"]
    assert s.segments[2].sentences == ("第二段，“引号里的话。”", "后面还有。")


def test_ids_stable_across_rebuilds_and_edits_elsewhere(tmp_path):
    a = segments_of(ARTICLE, tmp_path, sub="a")
    b = segments_of(ARTICLE, tmp_path, sub="b")
    assert [x.id for x in a.segments] == [x.id for x in b.segments]
    edited = ARTICLE.replace("第二段", "改过的第二段")
    c = segments_of(edited, tmp_path, sub="c")
    assert a.segments[0].id == c.segments[0].id and a.segments[1].id == c.segments[1].id
    assert a.segments[2].id != c.segments[2].id


def test_duplicate_paragraphs_get_distinct_ids(tmp_path):
    s = segments_of("题\n\n重复的段落。\n\n重复的段落。\n", tmp_path)
    ids = [x.id for x in s.segments]
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "-2"


def test_seed_ids_stable_over_two_builds():
    ctx = Context.load(Paths(ROOT))
    for p in ingest.find_seeds(ROOT / "seeds"):
        first = [i.segment.id for i in process(p, ctx).alignment.items]
        second = [i.segment.id for i in process(p, ctx).alignment.items]
        assert first == second and len(first) == len(set(first))


def _memory(tmp_path, segments, english="An English sentence."):
    path = tmp_path / "x.en.yml"
    memory_edit.sync(path, segments, "x.txt")
    text = path.read_text(encoding="utf-8").replace("en: ''", f"en: '{english}'")
    path.write_text(text, encoding="utf-8")
    return path


def test_edited_segment_keeps_translation_as_stale(tmp_path):
    s = segments_of(ARTICLE, tmp_path)
    path = _memory(tmp_path, s.segments)
    memory = align.load_memory(path)
    assert align.align(s.segments, memory).counts() == {"translated": 3, "stale": 0, "pending": 0}
    edited = segments_of(ARTICLE.replace("后面还有。", "后面还有一句。"), tmp_path, sub="e")
    result = align.align(edited.segments, memory)
    assert result.counts() == {"translated": 2, "stale": 1, "pending": 0}
    stale = [i for i in result.items if i.status == "stale"][0]
    assert stale.segment.id == s.segments[2].id          # the edited segment keeps the old id
    assert stale.entry.en[0] == "An English sentence."   # and its translation


def test_removed_segment_is_an_orphan_not_deleted(tmp_path):
    s = segments_of(ARTICLE, tmp_path)
    path = _memory(tmp_path, s.segments)
    before = path.read_text(encoding="utf-8")
    shorter = segments_of("标题在这里\n\n第一段。第二句！\n", tmp_path, sub="r")
    result = align.align(shorter.segments, align.load_memory(path))
    assert len(result.orphans) == 2
    assert memory_edit.sync(path, shorter.segments, "x.txt") == 0
    assert path.read_text(encoding="utf-8") == before


def test_sync_appends_only_new_segments(tmp_path):
    s = segments_of(ARTICLE, tmp_path)
    path = _memory(tmp_path, s.segments)
    before = path.read_text(encoding="utf-8")
    longer = segments_of(ARTICLE + "\n新加的段落。\n", tmp_path, sub="n")
    assert memory_edit.sync(path, longer.segments, "x.txt") == 1
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before) and "新加的段落。" in after


def test_repairs_are_marked_and_counted():
    ctx = Context.load(Paths(ROOT))
    seed = next(p for p in ingest.find_seeds(ROOT / "seeds") if p.name.startswith("002"))
    a = process(seed, ctx)
    text = "".join(i.segment.plain for i in a.alignment.items)
    assert "科大讯飞表示" in text and "扣除非经常性损益" in text and "总融资交易额" in text
    assert "?" not in text and "拼笥" not in text
    assert len(a.cleaned.repairs) >= 5


def test_opencc_runs_only_on_traditional_articles(tmp_path):
    simplified = segments_of("题目\n\n华为基于昇腾AI发布了大模型，支出将“显著”增加。\n", tmp_path, sub="s")
    assert "昇腾" in simplified.segments[0].plain and "显著" in simplified.segments[0].plain
    traditional = segments_of("題目\n\n隨著大模型的發展，華為基於昇騰AI發佈了新產品。\n", tmp_path, sub="t")
    assert "随着大模型的发展" in traditional.segments[0].plain


def test_word_offsets_round_trip():
    from scripts.annotate import encode_words
    assert encode_words([(0, 2), (2, 1), (4, 3)]) == "2,1,1:3"
    assert encode_words([]) == ""
    # decoding as bm.js does gives back the spans
    spec, pos, spans = "2,1,1:3", 0, []
    for tok in spec.split(","):
        gap, _, length = tok.rpartition(":")
        pos += int(gap or 0)
        spans.append((pos, int(length)))
        pos += int(length)
    assert spans == [(0, 2), (2, 1), (4, 3)]


def test_numbers_read_clause_by_clause_find_what_a_whole_text_scan_finds():
    """numbers.find reads each clause separately and skips patterns whose key character is absent (a
    speed-up); on every line of the raw seeds and every cleaned paragraph it must find exactly what
    scanning the whole text with every pattern finds."""
    from scripts.annotate import numbers
    from scripts.pipeline import load_articles
    paths = Paths()
    texts = [line for seed in sorted(paths.seeds.glob("*.txt")) for line in seed.read_text(encoding="utf-8").splitlines()]
    texts += [item.segment.plain for a in load_articles(Context.load(paths)) for item in a.alignment.items]
    found = [numbers.find(t) for t in texts]
    assert sum(map(len, found)) > 200
    assert found == [numbers.scan(t) for t in texts]
