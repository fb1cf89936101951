"""Every YAML input of the site, declared once: side files, translation memories, glossary, who's who,
figures, timeline and cleaning rules. The loaders (ingest.load_meta, align.load_memory,
annotate.terms.load_terms, figures.load_*, clean.load_rules) check their files against these, and
seeds/README.md prints their field tables (scripts/schema/docs.py)."""
from __future__ import annotations

from ..annotate.numbers import CURRENCY
from .core import Bilingual, Bool, Choice, Date, Either, Field, Integer, ListOf, Number, Record, Regex, Text, Unique

# ---------------------------------------------------------------- seeds/NAME.yml (side file)

STATUSES = ("draft", "published")
SEGMENT_KINDS = ("heading", "paragraph", "caption")
SLUG = Text(r"[a-z0-9][a-z0-9-]{0,79}", "lowercase letters, digits and hyphens (80 at most)")

PERSON = Record("person", (
    Field("zh", Text(), "the name as the article gives it", required=True, example="zh: 俞琪"),
    Field("en", Text(), "the name in English (pinyin, surname first)", default=""),
    Field("role", Text(), "author, editor, chief editor, proofreader…", default="author"),
), example="- {zh: 俞琪, en: Yu Qi, role: editor}")


def _mojibake_rule(d, at) -> None:
    """A mojibake decision is a repair (garbled + fixed) or a keep, not both, not neither."""
    how = "write - {garbled: …, fixed: …, note: …} or - {keep: …, note: …}"
    if d["keep"] is not None:
        if d["garbled"] is not None or d["fixed"] is not None:
            at.fail("a mojibake decision is garbled+fixed or keep, not both", how)
        if not d["keep"]:
            at.fail("empty keep text", "copy the flagged text from `python -m scripts clean NAME --flags`")
    elif d["garbled"] is None or d["fixed"] is None:
        at.fail("a mojibake decision needs garbled+fixed, or keep", how)
    elif not d["garbled"]:
        at.fail("empty garbled text", "copy the damaged text exactly as it stands in NAME.txt")


DECISION = Record("mojibake decision", (
    Field("garbled", Text(), "the damaged text exactly as it stands in NAME.txt"),
    Field("fixed", Text(), "what it stands for (with garbled)"),
    Field("keep", Text(), "instead of garbled + fixed: flagged text that is correct as it is"),
    Field("note", Text(), "one line: why this reading", required=True),
), checks=(_mojibake_rule,), example="- {garbled: …, fixed: …, note: …}")

KIND_OVERRIDE = Record("kind override", (
    Field("match", Text(), "the start of the segment's text", required=True),
    Field("kind", Choice(SEGMENT_KINDS), "the kind it gets", required=True),
), example="- {match: 开头的文字, kind: caption}")

SIDE_FILE = Record("side file", (
    Field("slug", SLUG, "the page's address: articles/<slug>/ (default: from the file name)",
          example="slug: iflytek-first-loss"),
    Field("status", Choice(STATUSES), "published articles must pass QA", default="draft"),
    Field("title", Bilingual(required=()), "the title, in Chinese and English",
          example="title: {zh: 原标题, en: English title}"),
    Field("outlet", Bilingual(required=()), "the publication", example="outlet: {zh: 证券时报, en: Securities Times}"),
    Field("people", ListOf(PERSON), "authors, editors…", default=(),
          example="people: [{zh: 俞琪, en: Yu Qi, role: editor}]"),
    Field("published", Date(("day", "month")), "the date of publication; YYYY-MM when the day is unknown",
          default=""),
    Field("date_evidence", Text(), "how the date was established (the hosting site's date may be wrong)",
          default=""),
    Field("url", Text(r"https?://\S+", "an http(s) address"), "the original's address, if known", default="",
          example="url: https://…"),
    Field("notes", ListOf(Text()), "provenance notes shown under the article's header", default=(),
          example="notes: [first note, second note]"),
    Field("mojibake", ListOf(DECISION), "one decision per flag `python -m scripts clean NAME --flags` lists",
          default=()),
    Field("kinds", ListOf(KIND_OVERRIDE), "override a segment's kind by the start of its text", default=()),
), example="slug: …, title: {zh: …, en: …} (see seeds/README.md)",
    about="What we know about an article (`seeds/NAME.yml`, optional for a draft).")

# ---------------------------------------------------------------- seeds/NAME.en.yml (translation memory)

# The QA rules a translator may waive for a text (scripts/qa.py).
QA_RULES = ("numbers", "terms", "currency", "numerals", "multiples", "calques", "quotes")

SEGMENT_ID = Text(r"[hpc]-[0-9a-f]{8}(-\d+)?", "ids like p-1a2b3c4d, copied from `sync`")

PAIR = Record("pair", (
    Field("zh", Text(), "a Chinese sentence as translated", required=True),
    Field("en", Text(), "its English; empty while untranslated", default="", example='en: "The English."'),
), example="- {zh: 中文句子, en: English}")

NOTE = Record("note", (
    Field("text", Text(), "the translator's note, shown as a numbered footnote", required=True),
    Field("after", Text(), "the English phrase the footnote mark follows (default: end of segment)", default=""),
), example="- {text: What the reader needs to know., after: phrase}")

WAIVER = Record("waiver", (
    Field("rule", Choice(QA_RULES), "the QA rule waived", required=True),
    Field("text", Text(), "the Chinese it is waived for (a figure or a term)", required=True),
    Field("reason", Text(), "why the difference is deliberate", required=True),
), example="- {rule: terms, text: 落地, reason: …}")

ENTRY = Record("segment entry", (
    Field("id", SEGMENT_ID,
          "the segment's id (from `python -m scripts sync NAME`; do not change)", required=True),
    Field("was", ListOf(SEGMENT_ID), "ids the entry had before `accept` moved it to edited Chinese "
          "(links to them still land here); written by `accept`", default=(), example="was: [p-1a2b3c4d]"),
    Field("pairs", ListOf(PAIR, min=1), "the Chinese sentences as translated, each with its English",
          required=True, example="pairs: [{zh: 中文句子, en: English}]"),
    Field("notes", ListOf(Either(Text(), NOTE)), "translator's notes, shown as numbered footnotes", default=(),
          example="notes: [{text: …, after: …}]"),
    Field("waive", ListOf(WAIVER), "QA exceptions, each with a reason", default=()),
), ident="id")

MEMORY = Record("translation memory", (
    Field("segments", ListOf(ENTRY, unique=Unique(lambda e: e["id"], "segment id", "merge the two entries")),
          "one entry per segment", default=()),
), about="The translation memory (`seeds/NAME.en.yml`).")

# ---------------------------------------------------------------- data/glossary.yml, data/entities.yml

GLOSSARY_CATEGORIES = ("industry", "technology", "business", "finance", "markets", "policy", "idiom")
ENTITY_CATEGORIES = ("company", "model", "person", "institution", "media")
TERM_ID = Text(r"[a-z0-9][a-z0-9-]*", "lowercase ASCII letters, digits and hyphens")
PINYIN = Text(r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹ' ·-]+", "pinyin with tone marks, syllables separated by spaces")


def _term_fields(categories, entity: bool) -> tuple[Field, ...]:
    return (
        Field("id", TERM_ID, "unique across glossary.yml and entities.yml; usually the pinyin", required=True),
        Field("zh", Text(), "the term in Simplified Chinese, exactly as an article has it", required=True),
        Field("match", ListOf(Text()), "other surface forms that link here (a form belongs to one entry)",
              default=(), example="match: [讯飞]"),
        Field("pinyin", PINYIN, "override the generated pinyin (polyphones: 行 háng, 率 lǜ)", default=""),
        Field("en", Text(), "the preferred English, as a translator would write it", required=True),
        Field("variants", ListOf(Text()), "other acceptable English (QA accepts any)", default=(),
              example="variants: [iFLYTEK, Iflytek]"),
        Field("category", Choice(categories), "the section of the page it is listed in", required=True),
        Field("definition", Text(), "one to three sentences of plain English", required=True),
        *((Field("role", Text(), "people only: their role as the article gives it", default=""),) if entity else ()),
        Field("related", ListOf(TERM_ID), "ids of related entries in either file", default=(),
              example="related: [iflytek, sensetime]"),
    )


GLOSSARY = ListOf(Record("glossary entry", _term_fields(GLOSSARY_CATEGORIES, False), ident="id",
                         example="- id: …", about="A glossary term (`data/glossary.yml`, a list)."))
ENTITIES = ListOf(Record("who's who entry", _term_fields(ENTITY_CATEGORIES, True), ident="id",
                         example="- id: …", about="A company, model, person… (`data/entities.yml`, a list)."))

# ---------------------------------------------------------------- data/figures/*.yml, data/timeline.yml

UNITS = (*CURRENCY, *(f"{c}/share" for c in CURRENCY), "%", "times", "count")
CHART_KINDS = ("bar", "barh", "grouped", "line")
ARTICLE = Text(r"\d{3}", 'a three-digit seed id in quotes ("000")')
BOTH = Bilingual(("zh", "en"))

POINT = Record("point", (
    Field("label", BOTH, "the bar's or dot's label", required=True, example="label: {zh: 浪潮信息, en: Inspur Information}"),
    Field("value", Number(), "in plain units (2.86亿元 -> 286000000, 60% -> 60; a fall is negative)", required=True,
          example="value: 286000000 (plain units: 亿 = 100000000, 万 = 10000, 60% = 60)"),
    Field("value_high", Number(), "the upper end, when the text gives a range"),
    Field("article", ARTICLE, "the seed it comes from", required=True,
          example='article: "000" (quoted, or YAML reads it as a number)'),
    Field("quote", Text(), "words of one paragraph, exactly as in the cleaned article", required=True),
    Field("reading", Text(), "the words of the quote that state the number, with any hedge (约, 最高…)",
          required=True),
), example="- {label: …, value: …, article: …, quote: …, reading: …}")

SERIES = Record("series", (
    Field("name", BOTH, "the series' name (legend)", required=True, example="name: {zh: 净利润, en: Net profit}"),
    Field("points", ListOf(POINT, min=1, unique=Unique(lambda p: p["label"]["en"], "label",
                                                       "give each point its own label")),
          "the bars or dots", required=True, example="points: [- label: …]"),
), example="- name: {zh: …, en: …}")


def _series_rule(d, at) -> None:
    """A grouped chart has two series or more; the others exactly one."""
    n = len(d["series"])
    if d["kind"] == "grouped" and n < 2:
        at.fail("a grouped chart needs at least two series", "add a series or use kind: bar",
                d.line_of("series"))
    if d["kind"] != "grouped" and n != 1:
        at.fail(f"a {d['kind']} chart has exactly one series", "use kind: grouped", d.line_of("series"))


CREDIT = Record("source", (
    Field("name", BOTH, "whom the article credits for the numbers (CB Insights, Wind, a company's filing), with "
          "the scope in brackets when it covers only some points", required=True,
          example="name: {zh: CB Insights, en: CB Insights}"),
    Field("article", ARTICLE, "the seed that credits it", required=True,
          example='article: "002" (quoted, or YAML reads it as a number)'),
    Field("quote", Text(), "the words that credit it (CBInsights数据显示), exactly as in the cleaned article; "
          "they name the ¶ shown in the caption", required=True),
), example='- {name: {zh: Wind, en: Wind}, article: "002", quote: Wind数据显示}')

FIGURE = Record("figure", (
    Field("id", Text(r"[a-z0-9]+(?:-[a-z0-9]+)*", "lowercase words joined by hyphens"),
          "the file's name without .yml", required=True, example="id: ashare-h1-2023-profits"),
    Field("title", BOTH, "the chart's title", required=True),
    Field("kind", Choice(CHART_KINDS), "bar, horizontal bar, grouped bars or line", required=True),
    Field("unit", Choice(UNITS), "what the values count (yuan, not 亿)", required=True),
    Field("y_label", BOTH, "the value axis", required=True),
    Field("alt", Text(), "the chart in words, for readers who cannot see it", required=True),
    Field("caption", BOTH, "shown under the chart", required=True),
    Field("series", ListOf(SERIES, min=1), "one (or, grouped, several) series of points", required=True),
    Field("source", ListOf(CREDIT), "the underlying source the article names for these numbers; leave it out "
          "where the article names none (the caption then says 'Figures as reported by <outlet>')", default=()),
), checks=(_series_rule,), about="A chart (`data/figures/ID.yml`).")

EVENT = Record("event", (
    Field("date", Date(("day", "month", "year")), "when it happened: YYYY-MM-DD, or YYYY-MM / YYYY when the text "
          "gives no day", required=True),
    Field("event", BOTH, "what happened", required=True),
    Field("article", ARTICLE, "the seed it comes from", required=True,
          example='article: "000" (quoted, or YAML reads it as a number)'),
    Field("quote", Text(), "the words that date it, exactly as in the cleaned article", required=True),
), example="- date: …", about="A dated event (`data/timeline.yml`, a list).")
TIMELINE = ListOf(EVENT)

# ---------------------------------------------------------------- data/cleaning.yml


def _rule_rule(d, at) -> None:
    """A chrome rule has exact or regex (not both); its meta names a group of its regex."""
    if (d["exact"] is None) == (d["regex"] is None):
        at.fail("a rule has either exact or regex", "split it into two rules")
    if d["meta"] and (d["regex"] is None or d["meta"] not in d["regex"].groupindex):
        at.fail(f"meta {d['meta']!r} is not a named group of the rule's regex",
                f"name the group (?P<{d['meta']}>…) or remove meta", d.line_of("meta"))


CHROME_RULE = Record("cleaning rule", (
    Field("reason", Text(), "shown by `python -m scripts clean ID --report`", required=True),
    Field("exact", ListOf(Text()), "the whole line equals one of these phrases"),
    Field("regex", Regex(), "the line matches (re.search on the normalised line); named groups become metadata"),
    Field("meta", Text(r"[a-z][a-z_]*", "a lowercase name"), "the metadata field a named group fills"),
), checks=(_rule_rule,), example="- {reason: …, regex: …}")

CLEANING = Record("cleaning rules", (
    Field("rules", ListOf(CHROME_RULE, min=1), "tried in order on every line", required=True),
), about="Site-chrome rules (`data/cleaning.yml`).")

# ---------------------------------------------------------------- data/style.yml, data/review/NAME.yml

CALQUE = Record("calque", (
    Field("pattern", Regex(), "a regular expression, matched case-insensitively on word boundaries", required=True),
    Field("suggestion", Text(), "what to write instead (shown in the QA message)", required=True),
    Field("source", Text(), "the Chinese it usually comes from (for translators)", default=""),
), example="- {pattern: …, suggestion: …, source: …}")

STYLE = Record("house style", (
    Field("calques", ListOf(CALQUE), "literal renderings `make qa` reports as warnings", default=()),
), about="House-style data for QA (`data/style.yml`).")

REVIEW_VERDICTS = ("ok", "fixed", "noted")
FINDING_KINDS = ("meaning", "omission", "number", "term", "style")

def _decision_rule(f, at) -> None:
    """The house-style pass's decision on a style finding: applied, or declined with the reason."""
    given = [k for k in ("applied", "applied_as", "declined") if f[k] is not None]
    if given and f["kind"] != "style":
        at.fail(f"{given[0]} is for style findings only", f"remove {given[0]}")
    if f["applied"] is False and not f["declined"]:
        at.fail("applied: false needs declined", "say why the suggestion was not applied")
    if f["declined"] is not None and f["applied"] is not False:
        at.fail("declined goes with applied: false", "set applied: false or remove declined")
    if f["applied_as"] is not None and f["applied"] is not True:
        at.fail("applied_as goes with applied: true", "set applied: true or remove applied_as")


FINDING = Record("finding", (
    Field("kind", Choice(FINDING_KINDS), "what kind of problem", required=True),
    Field("sentence", Integer(1), "the pair's position in the segment, counting from 1", required=True),
    Field("was", Text(), "the English before", required=True),
    Field("now", Text(), "the English after (applied, or suggested for style)", required=True),
    Field("reason", Text(), "why", required=True),
    Field("applied", Bool(), "style findings: whether the house-style pass applied it"),
    Field("applied_as", Text(), "style findings applied: the wording used where it differs from now"),
    Field("declined", Text(), "style findings not applied: why"),
), checks=(_decision_rule,), example="- {kind: …, sentence: 1, was: …, now: …, reason: …}")

REVIEW = ListOf(Record("review entry", (
    Field("id", SEGMENT_ID, "the segment reviewed", required=True),
    Field("verdict", Choice(REVIEW_VERDICTS), "ok: nothing to report; fixed: a finding was applied; noted: recorded only",
          required=True),
    Field("findings", ListOf(FINDING), "what the reviewer found", default=()),
), ident="id", about="A second-review log (`data/review/NAME.yml`, a list, one entry per segment in page order)."))

# The files, as seeds/README.md lists them.
ALL = {
    "side-file": SIDE_FILE, "memory": MEMORY, "glossary": GLOSSARY, "entities": ENTITIES,
    "figure": FIGURE, "timeline": TIMELINE, "cleaning": CLEANING, "style": STYLE, "review": REVIEW,
}
