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


@lru_cache(maxsize=65536)
def char_to_simplified(ch: str) -> str:
    """One character's Simplified form, or the character itself when OpenCC gives more than one."""
    out = to_simplified(ch)
    return out if len(out) == 1 else ch


def has_han(text: str) -> bool:
    """Whether the text holds a Han character."""
    return bool(HAN_RE.search(text))


def strip_marks(text: str) -> str:
    """The text without the repair marks that clean puts around repaired spans."""
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
