"""Stage 2 — clean: turn a raw scrape into article lines, explaining every change.

Each fixer is a small pure function whose docstring shows the damage before and after. `clean()`
runs them in order over every line and returns the text together with a report of what was
removed or changed and why (`python -m scripts clean ID --report`).

Order matters: chrome is recognised on a normalised view; mojibake is judged on the raw line
(before the converters touch it); repairs come next, then pinyin, OpenCC and punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import chrome, metadata, pinyin, readers
from .chrome import Verdict
from .metadata import Evidence
from .readers import Candidate, Document
from .chinese import CJK_CONTEXT, HAN, MARK_CLOSE, MARK_OPEN, to_simplified, to_traditional
from .errors import BuildError
from .ingest import Meta, Seed
from .mojibake import Repair, article_facts, resolve_line, scan_line, verify


# ---------------------------------------------------------------- rules from data/cleaning.yml

@dataclass(frozen=True)
class ChromeRule:
    """A rule of data/cleaning.yml: lines it matches are site chrome, removed for `reason`."""
    reason: str
    exact: frozenset = frozenset()
    regex: re.Pattern | None = None
    meta: str | None = None

    def match(self, view: str) -> re.Match | bool | None:
        """True (an exact phrase) or the regex match (its named groups are metadata); None otherwise."""
        if view in self.exact:
            return True
        return self.regex.search(view) if self.regex else None


def load_rules(path: Path) -> tuple[ChromeRule, ...]:
    """data/cleaning.yml, checked against scripts/schema (files.CLEANING)."""
    from . import schema
    data = schema.load(path, schema.files.CLEANING)
    return tuple(ChromeRule(r["reason"], frozenset(r["exact"] or ()), r["regex"], r["meta"]) for r in data["rules"])


# ---------------------------------------------------------------- fixers (pure, one concern each)

_PINYIN = re.compile(f"([{HAN}])\\(([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{{1,7}})\\)")


def strip_glued_pinyin(text: str) -> str:
    """Remove pinyin that a converter glued after a character, when it is a reading of it.

    戰(zhàn)爭 -> 戰爭, 經(jīng)歷 -> 經歷; 局(DPA) and 模型(llm) are left alone.
    """
    def repl(m: re.Match) -> str:
        return m.group(1) if m.group(2).lower() in pinyin.readings(m.group(1)) else m.group(0)
    return _PINYIN.sub(repl, text)


_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[!-~]+", re.I)


def _address_end(url: str) -> int:
    """Where an address found greedily really ends: closing punctuation and unmatched brackets go back."""
    end = len(url)
    while end and (url[end - 1] in ".,;:!?'\"" or (url[end - 1] in ")]>" and
                   url[:end].count(url[end - 1]) > url[:end].count({")": "(", "]": "[", ">": "<"}[url[end - 1]]))):
        end -= 1
    return end


def strip_web_addresses(text: str) -> str:
    """A web address is never Chinese text: 申请内测的链接在这里：https://tongyi.aliyun.com -> 申请内测的链接在这里：

    详见www.example.com/a?b=1。 -> 详见。  (见https://x.cn/a_(b)) -> (见)   Bare names such as 36kr.com stay.
    """
    if "://" not in text and "www." not in text.lower():
        return text
    return _WEB_ADDRESS.sub(lambda m: m.group(0)[_address_end(m.group(0)):], text)


def to_simplified_chars(text: str) -> str:
    """Traditional to Simplified with OpenCC: 科大訊飛 -> 科大讯飞."""
    return to_simplified(text)


_C = f"[{CJK_CONTEXT}]"
_PAREN = re.compile(f"\\(([^()]*[{HAN}][^()]*)\\)")


def fullwidth_punctuation(text: str) -> str:
    """Restore full-width punctuation in Chinese context.

    赛道,在GPT-4发布后 -> 赛道，在GPT-4发布后;  烧钱?科大 -> 烧钱？科大;  时间:2023 -> 时间：2023;
    1411(截至7月25日) -> 1411（截至7月25日）;  Titan,Meta (in a Chinese line) -> Titan，Meta.
    2,000 / 07:48 / https://x / English, text stay.
    """
    text = re.sub(f"(?<={_C}),|,(?={_C})", "，", text)
    if re.search(f"[{HAN}]", text):   # in a Chinese line a comma with no space after it is Chinese
        text = re.sub(r"(?<!\d),(?! )|(?<=\d),(?![\d ])", "，", text)
    text = re.sub(f"(?<={_C})\\?|\\?(?={_C})", "？", text)
    text = re.sub(f"(?<={_C})!|!(?={_C})", "！", text)
    text = re.sub(f"(?<={_C});|;(?={_C})", "；", text)
    text = re.sub(f"(?<={_C}):(?!//)|(?<![0-9A-Za-z]):(?={_C})", "：", text)
    text = _PAREN.sub(r"（\1）", text)
    return text


def tidy_spaces(text: str) -> str:
    """No spaces around full-width punctuation, none at the ends: 智慧城市、 运营商 -> 智慧城市、运营商."""
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    text = re.sub(r"[ \t]*([，。、；：？！（）“”])[ \t]*", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


FIXERS = (strip_web_addresses, strip_glued_pinyin, to_simplified_chars, fullwidth_punctuation, tidy_spaces)
TRADITIONAL_SHARE = 0.05   # share of Han characters OpenCC would change, above which a text is Traditional


def is_traditional(text: str) -> bool:
    """Is this article written in Traditional characters?

    Converting an already-Simplified text is not harmless (昇腾 would become 升腾), so OpenCC runs
    only on articles where a real share of the characters are Traditional.
    """
    han = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not han:
        return False
    return sum(1 for c in han if _traditional_only(c)) / len(han) >= TRADITIONAL_SHARE


@lru_cache(maxsize=65536)
def _traditional_only(ch: str) -> bool:
    """訊 (-> 讯 -> 訊) is Traditional only; 昇 (-> 升 -> 升) and 著 are also Simplified characters."""
    simple = to_simplified(ch)
    return simple != ch and to_traditional(simple) == ch


def normalised_view(line: str) -> str:
    """What chrome rules see: pinyin gone, Simplified, single spaces."""
    return re.sub(r"\s+", " ", to_simplified(strip_glued_pinyin(line))).strip()


# ---------------------------------------------------------------- the stage

@dataclass(frozen=True)
class Change:
    """One line of the cleaning report: a line removed, repaired or changed, before and after, and why."""
    line: int
    action: str      # removed | repaired | changed
    before: str
    after: str
    why: str


@dataclass(frozen=True)
class CleanLine:
    """A kept line of the seed after cleaning, with its line number and block kind."""
    line: int
    text: str        # cleaned text; repaired spans sit between MARK_OPEN and MARK_CLOSE
    kind: str = ""   # what the seed's markup says the block is (heading, list …); "" for plain text


@dataclass
class Cleaned:
    """A seed after cleaning: its kept lines, the report, the metadata found, the repairs, the
    detected format and every block's verdict.
    """
    lines: list[CleanLine]
    report: list[Change]
    extracted: dict[str, str]                                # metadata field -> inferred value
    repairs: list[Repair] = field(default_factory=list)     # one per marked span, in text order
    format: str = "text"                                     # text | markdown | html (scripts/readers)
    format_why: str = ""
    verdicts: list[Verdict] = field(default_factory=list)   # every block, kept or removed, and why
    evidence: dict[str, Evidence] = field(default_factory=dict)   # for each extracted field, its evidence
    candidates: list[Candidate] = field(default_factory=list)     # every metadata candidate seen
    undecided: list = field(default_factory=list)            # mojibake findings no decision covers


DATELINE_WITHIN = 3   # a dateline is looked for at the start of the first kept blocks


def read_document(seed: Seed) -> Document:
    """The seed read by the reader for its form (scripts/readers); a seed beyond a reader's bounds
    stops with one line."""
    try:
        return readers.read_document(seed.path.name, seed.text)
    except readers.ReaderLimit as exc:
        raise BuildError(seed.path, exc.message, exc.line, exc.remedy) from None


def classify_blocks(document: Document, rules: tuple[ChromeRule, ...]) -> list[Verdict]:
    """Body or furniture for every block: the rules as overrides, then scripts/chrome.py."""
    return chrome.classify(list(document.blocks), [normalised_view(b.text) for b in document.blocks], rules)


def metadata_candidates(document: Document, verdicts: list[Verdict]) -> list[Candidate]:
    """Everything the seed says about itself: the reader's candidates (front matter, page metadata, a
    level-1 heading unless it was judged furniture), the metadata lines the classifier removed, and
    datelines at the head of the first kept blocks."""
    removed = {v.block.line for v in verdicts if not v.keep}
    candidates = [c for c in document.candidates if not (c.source == "heading" and c.line in removed)]
    kept = 0
    for verdict in verdicts:
        candidates.extend(verdict.candidates)
        view = normalised_view(verdict.block.text)
        if verdict.keep:
            if kept < DATELINE_WITHIN:
                candidates.extend(metadata.dateline(view, verdict.block.line))
                candidates.extend(metadata.lead_attribution(view, verdict.block.line))
            kept += 1
        else:
            candidates.extend(metadata.credit_line(view, verdict.block.line))
    return candidates


def choose_metadata(candidates: list[Candidate], fixers=FIXERS) -> dict[str, Evidence]:
    """One value per field with its evidence; the title spelled as the article's lines are."""
    chosen = metadata.choose(candidates)
    if "title" in chosen:
        title = chosen["title"]
        for fixer in fixers:
            title = replace(title, value=fixer(title.value))
        chosen["title"] = title
    return chosen


def infer_metadata(seed: Seed, rules: tuple[ChromeRule, ...]) -> dict[str, Evidence]:
    """The metadata a seed states, without the mojibake stage (for reports and the corpus tests)."""
    document = read_document(seed)
    fixers = FIXERS if is_traditional(seed.text) else tuple(f for f in FIXERS if f is not to_simplified_chars)
    return choose_metadata(metadata_candidates(document, classify_blocks(document, rules)), fixers)


class _Mojibake:
    """Per article: the detector's facts (computed once, only if a line needs them), the decisions
    that matched, and the findings left undecided."""

    def __init__(self, seed: Seed, meta: Meta):
        self.seed, self.meta = seed, meta
        self.used: set[int] = set()
        self.undecided: list = []
        self._facts = None

    def facts(self):
        if self._facts is None:
            self._facts = article_facts(self.seed.text)
        return self._facts


def _apply_repairs(raw: str, number: int, state: _Mojibake, out: list, report: list) -> str:
    """Repair one body line: recorded decisions first, then the detector's proposals (marked as
    such), each span between MARK_OPEN and MARK_CLOSE; report every repair with its evidence."""
    text, repairs, undecided = resolve_line(raw, number, state.meta.decisions, state.facts, state.used)
    out.extend(repairs)
    state.undecided.extend(undecided)
    for r in repairs:
        why = r.note if r.status == "reviewed" else f"{r.status.upper()}: {r.note}"
        if r.status == "reviewed" and r.evidence:
            why += f" [bytes: {r.evidence}]"
        report.append(Change(number, "repaired" if r.status != "flagged" else "flagged", r.text, r.fixed, why))
    return text


def _check_decisions(seed: Seed, meta: Meta, state: _Mojibake, lines: list) -> list:
    """Undecided findings on kept lines; a published article may have none (the build stops on the
    first, with the count of the rest); a decision that matches nothing is an error either way."""
    kept = {l.line for l in lines}
    undecided = [f for f in state.undecided if f.line in kept]
    if undecided and meta.status == "published":
        f = undecided[0]
        more = f" (and {len(undecided) - 1} more)" if len(undecided) > 1 else ""
        side = meta.path or seed.path.with_suffix(".yml")
        proposal = f"; the bytes propose {f.fixed!r}" if f.fixed else ""
        raise BuildError(seed.path, f"undecided mojibake {f.text!r} at column {f.start + 1}: {f.category}{proposal}{more}",
                         f.line, f"accept it (`python -m scripts accept-repairs {seed.stem} {f.id}`), or write a "
                         f"repair or a keep under 'mojibake:' in {side.name}; `python -m scripts clean {seed.stem} "
                         f"--flags` lists them all")
    for d in meta.decisions:
        if d.line not in state.used:
            raise BuildError(meta.path or seed.path, f"mojibake decision {d.text!r} matches nothing in the article",
                             d.line, "remove it or correct the text")
    return undecided


def clean(seed: Seed, meta: Meta, rules: tuple[ChromeRule, ...]) -> Cleaned:
    """Read a seed in its format, decide body or furniture per block, apply the fixers and the
    mojibake repairs, and collect metadata with its evidence.
    """
    report: list[Change] = []
    lines: list[CleanLine] = []
    mojibake = _Mojibake(seed, meta)
    repairs: list[Repair] = []
    fixers = FIXERS if is_traditional(seed.text) else tuple(f for f in FIXERS if f is not to_simplified_chars)
    document = read_document(seed)
    verdicts = classify_blocks(document, rules)
    for verdict in verdicts:
        number, raw = verdict.block.line, verdict.block.text
        if not verdict.keep:
            report.append(Change(number, "removed", raw, "", verdict.reason))
            continue
        text = _apply_repairs(raw, number, mojibake, repairs, report)
        whys = []
        for fixer in fixers:
            new = fixer(text)
            if new != text:
                whys.append(fixer.__name__.replace("_", " "))
                text = new
        if whys:
            report.append(Change(number, "changed", raw, text, ", ".join(whys)))
        if text:
            lines.append(CleanLine(number, text, verdict.block.kind))
    lines = _drop_site_names(lines, report)
    candidates = metadata_candidates(document, verdicts)
    chosen = choose_metadata(candidates, fixers)
    undecided = _check_decisions(seed, meta, mojibake, lines)
    extracted = {name: e.value for name, e in chosen.items()}
    return Cleaned(lines, report, extracted, repairs, document.format, document.why, verdicts, chosen, candidates,
                   undecided)


SITE_NAME_MAX = 16


def _drop_site_names(lines: list[CleanLine], report: list[Change]) -> list[CleanLine]:
    """A short line that recurs inside removed chrome is the site's name (forum headers, footers)."""
    chrome = [c.before for c in report if c.action == "removed"]
    keep = []
    for item in lines:
        if len(item.text) <= SITE_NAME_MAX and any(item.text in c for c in chrome):
            report.append(Change(item.line, "removed", item.text, "", "site name (recurs in the site's chrome)"))
        else:
            keep.append(item)
    return keep


def list_flags(seed: Seed, meta: Meta, rules) -> list[tuple]:
    """Every mojibake finding on a body block, for `clean --flags` and `accept-repairs`:
    (finding, line text, decision or None, verdict or None). A recorded repair is checked against
    the bytes (verdict); a recorded repair no finding covers is listed with finding None."""
    out = []
    facts = None
    for block in classify_blocks(read_document(seed), rules):
        if not block.keep:
            continue
        number, raw = block.block.line, block.block.text
        facts = facts or article_facts(seed.text)
        findings = scan_line(raw, number, facts)
        for f in findings:
            hit = next((d for d in meta.decisions if _overlaps(raw, d.text, f)), None)
            verdict = verify(raw, f, hit.text, hit.fixed, facts, findings) if hit and hit.fixed is not None else None
            out.append((f, raw, hit, verdict))
        for d in meta.decisions:
            if d.fixed is not None and d.text in raw and not any(_overlaps(raw, d.text, f) for f in findings):
                out.append((None, raw, d, None))
    return out


def _overlaps(raw: str, text: str, f) -> bool:
    """True when an occurrence of a decision's text in the line overlaps the finding's span."""
    from .mojibake import covered
    return covered(f, raw, text)
