"""Shared facts about Chinese text: character classes, Simplified/Traditional conversion.

OpenCC does the conversion; converters are built once per process.
"""
from __future__ import annotations

import re
from functools import lru_cache

import opencc

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
# Repaired spans travel through the pipeline between these two noncharacters.
MARK_OPEN, MARK_CLOSE = "\ufdd0", "\ufdd1"
MARKS = MARK_OPEN + MARK_CLOSE
# Characters that make their neighbourhood "Chinese context" for punctuation decisions.
CJK_CONTEXT = HAN + "\u3000-\u303f\uff00-\uffef“”‘’《》" + MARKS


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """tw2s rather than t2s: it also turns the Taiwan-style 著 of 隨著 into 着."""
    return _converter("tw2s.json").convert(text) if text else text


def to_traditional(text: str) -> str:
    """The text in Traditional characters (OpenCC s2t); empty text as it is."""
    return _converter("s2t.json").convert(text) if text else text


# The Traditional standards a reader can choose on the page: OpenCC's Taiwan (with Taiwan's own
# words, 软件 -> 軟體) and Hong Kong configurations; names keep their words (characters only).
HANT_STANDARDS = {"tw": "s2twp.json", "hk": "s2hk.json"}
HANT_CHARACTERS = {"tw": "s2tw.json", "hk": "s2hk.json"}


def to_hant(text: str, standard: str, words: bool = True) -> str:
    """Simplified -> Traditional in one of HANT_STANDARDS: to_hant("为群", "tw") == "為群";
    with words=False only the characters change (a name: 百川智能 stays 百川智能, not 百川智慧)."""
    config = (HANT_STANDARDS if words else HANT_CHARACTERS)[standard]
    return _converter(config).convert(text) if text else text


_CHAR_SIMPLE: dict[str, str] = {}      # char_to_simplified's answers (bounded: cleared when full)


def char_to_simplified(ch: str) -> str:
    """One character's Simplified form, or the character itself when OpenCC gives more than one."""
    got = _CHAR_SIMPLE.get(ch)
    if got is None:
        warm_simplified(ch)
        got = _CHAR_SIMPLE[ch]
    return got


def warm_simplified(chars) -> None:
    """`char_to_simplified` of many characters in one OpenCC call, kept for later: one per line, as
    no OpenCC phrase holds a line break, each converts as it would alone (and a call costs more than
    the characters it converts).

    >>> warm_simplified("們國a"); [char_to_simplified(c) for c in "們國a"]
    ['们', '国', 'a']
    """
    todo = [c for c in dict.fromkeys(chars) if c not in _CHAR_SIMPLE]
    if not todo:
        return
    if len(_CHAR_SIMPLE) + len(todo) > 65536:
        _CHAR_SIMPLE.clear()
    lines = [c for c in todo if c != "\n"]
    out = to_simplified("\n".join(lines)).split("\n") if lines else []
    if len(out) != len(lines):                      # never seen: then one call each
        out = [to_simplified(c) for c in lines]
    _CHAR_SIMPLE.update((c, s if len(s) == 1 else c) for c, s in zip(lines, out))
    if "\n" in todo:
        _CHAR_SIMPLE["\n"] = "\n"


def has_han(text: str) -> bool:
    """Whether the text holds a Han character."""
    return bool(HAN_RE.search(text))


def strip_marks(text: str) -> str:
    """The text without the repair marks that clean puts around repaired spans."""
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
