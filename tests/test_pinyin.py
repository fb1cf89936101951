"""scripts/pinyin.py answers exactly as pypinyin does: every character of the Basic Multilingual
Plane, every phrase pypinyin knows, the seeds' text cut as the pages cut it, and random text made of
phrases, pieces of phrases, characters and what is not Han."""
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin
from pypinyin.constants import PHRASES_DICT

from scripts import pinyin as P


def pypinyin_tone(text):
    return pinyin(text, style=Style.TONE, errors="ignore")


def pypinyin_readings(ch):
    return frozenset(r for style in (Style.TONE, Style.NORMAL) for group in pinyin(ch, style=style, heteronym=True)
                     for r in group)


def test_the_index_is_used_and_pypinyin_never_loaded():
    """The point of the index: a process that reads pinyin (words, terms, glued-pinyin and mojibake
    checks) does not import pypinyin and its dictionaries."""
    import subprocess
    import sys

    from tests.conftest import ROOT
    assert P._index() is not None           # made by now (making it asks pypinyin, once per machine)
    code = ("import sys; sys.path.insert(0, '.')\n"
            "from scripts import pinyin\n"
            "from scripts.annotate import terms, words\n"
            "from scripts.mojibake import codec\n"
            "assert words.pinyin_of('银行') == 'yín háng' and terms.generated_pinyin('百模大战') == 'bǎi mó dà zhàn'\n"
            "assert codec.reads_as('行', 'xing') and 'háng' in pinyin.readings('行')\n"
            "print(sorted(m for m in sys.modules if m.startswith('pypinyin')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["[]"]


def test_every_character_of_the_bmp():
    wrong = [hex(c) for c in range(0x10000)
             if P.tone(chr(c)) != pypinyin_tone(chr(c)) or P.readings(chr(c)) != pypinyin_readings(chr(c))]
    assert wrong == []


def test_every_phrase():
    wrong = [p for p in PHRASES_DICT if P.tone(p) != pypinyin_tone(p)]
    assert wrong == []


def test_the_seeds_as_the_pages_cut_them():
    from scripts.annotate import words
    from scripts.ingest import find_seeds
    from tests.conftest import ROOT
    texts = [s.read_text(encoding="utf-8") for s in find_seeds(ROOT / "seeds")]
    cut = {w for t in texts for line in t.splitlines() for w in words.cut(line)}
    assert len(cut) > 3000
    assert [w for w in sorted(cut) if P.tone(w) != pypinyin_tone(w)] == []
    whole = "\n".join(texts)
    assert P.tone(whole) == pypinyin_tone(whole)


_PHRASES = sorted(p for p in PHRASES_DICT if len(p) > 1)
_piece = st.one_of(
    st.sampled_from(_PHRASES),                                              # a whole phrase
    st.sampled_from(_PHRASES).map(lambda p: p[: max(1, len(p) - 1)]),       # one cut short
    st.sampled_from(_PHRASES).map(lambda p: p[1:]),                         # one begun late
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
    st.sampled_from(list("〇 ,，。AI2024-%\n\ue815\ufa18")),
    st.characters(),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_piece, max_size=12).map("".join))
def test_random_text(text):
    assert P.tone(text) == pypinyin_tone(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3))
def test_readings_of_anything(text):
    assert P.readings(text) == pypinyin_readings(text)


def test_answers_are_copies():
    first = P.tone("银行")
    first[0].append("x")
    assert P.tone("银行") == pypinyin_tone("银行")


def test_without_the_file_pypinyin_answers(monkeypatch, tmp_path):
    """A checkout where .cache/lib cannot be written still reads pinyin, from pypinyin itself."""
    def refuse(path):
        raise sqlite3.Error("read-only")
    monkeypatch.setattr(P, "index_path", lambda: tmp_path / "none.sqlite")
    monkeypatch.setattr(P, "build", refuse)
    P._index.cache_clear()
    try:
        assert P._index() is None
        assert P.tone("银行行长") == pypinyin_tone("银行行长")
        assert P.readings("行") == pypinyin_readings("行")
    finally:
        P._index.cache_clear()


def test_a_file_is_made_whole(tmp_path):
    """The file appears by rename, with no temporary left beside it, and holds pypinyin's answers."""
    path = tmp_path / "lib" / "pinyin.sqlite"
    P.build(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["pinyin.sqlite"]
    index = P._Index(path)
    assert index.row("银").phrases["银行"] == pypinyin_tone("银行")
    assert index.row("a") is None
