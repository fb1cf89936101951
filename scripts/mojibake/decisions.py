"""Decisions: recorded repairs checked against the bytes, resolved into the page's marked spans, and
proposals accepted into the seed's side file.

`verify` asks whether a recorded repair is a reading the bytes allow; `resolve_line` applies the
side file's decisions, then the detector's proposals (marked as proposed), and flags the rest;
`accept_repairs` writes proposals into the side file's `mojibake:` list by the structural, atomic
edit of scripts/memory_edit.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..chinese import char_to_simplified, to_simplified
from ..paths import locked_edit
from .codec import CODECS, Codec, NEVER_TEXT, _MARK, _run_at
from .detect import scan_line
from .finding import Facts, Finding, apply, quotes_balanced
from .proof import PUNCTUATION, _Prover

# ---------------------------------------------------------------- recorded decisions against the bytes

def _fits(codec: Codec, data: bytes, end: str, body: str) -> str | None:
    """How body (Simplified) is a reading of the run's bytes — lead restored, pairs the reader
    dropped put back, the last second byte restored — as the restored bytes in hex; None if it is not."""
    simp = char_to_simplified
    target = [simp(c) for c in body]
    n = len(data)
    last_needs_trail = end != "ascii"

    def char_ok(ch: str | None, j: int) -> bool:
        return ch is not None and j < len(target) and simp(ch) == target[j]

    # state: (byte index i, body index j) -> restored bytes so far
    frontier: dict[tuple[int, int], list[str]] = {}
    for L in codec.leads:
        if char_ok(codec.pair(L, data[0]), 0):
            frontier.setdefault((1, 1), [f"lead {L:02x}"])
        for X in codec.drop_leads():
            if char_ok(codec.pair(L, X), 0):
                for Y in codec.leads:
                    if codec.dropped(X, Y) and char_ok(codec.pair(Y, data[0]), 1):
                        frontier.setdefault((1, 2), [f"lead {L:02x}", f"pair {X:02x} {Y:02x}"])
    seen = set()
    while frontier:
        (i, j), how = frontier.popitem()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if last_needs_trail and i == n - 1:
            if any(char_ok(codec.pair(data[i], T), j) for T in codec.trails) and j + 1 == len(target):
                T = next(T for T in codec.trails if char_ok(codec.pair(data[i], T), j))
                return "; ".join(how + [f"second byte {T:02x}"])
            continue
        if i == n:
            if not last_needs_trail and j == len(target):
                return "; ".join(how) or "nothing"
            continue
        if i + 1 < n + (0 if last_needs_trail else 0) and i + 1 <= n - 1:
            if char_ok(codec.pair(data[i], data[i + 1]), j):
                frontier.setdefault((i + 2, j + 1), how)
            for X in codec.drop_leads():
                if char_ok(codec.pair(data[i], X), j):
                    for Y in codec.leads:
                        if codec.dropped(X, Y) and char_ok(codec.pair(Y, data[i + 1]), j + 1):
                            frontier.setdefault((i + 2, j + 2), how + [f"pair {X:02x} {Y:02x}"])
    return None


_INFERRABLE = set(PUNCTUATION + "“”‘’")


@dataclass(frozen=True)
class Verdict:
    """What the bytes say about a recorded repair."""
    ok: bool
    message: str          # one line: agrees / differs only in what the bytes leave open / contradicts


def verify(line: str, finding: Finding, garbled: str, fixed: str, facts: Facts, others=()) -> Verdict:
    """Is a recorded repair of the span the finding covers a reading the bytes allow?

    The byte-proved part must be a reading of the run (lead, dropped pairs and last byte free);
    what is left over must be what the bytes cannot settle (punctuation before, digits after);
    and the line's quotation marks must balance if they balance with the proposals (others: the
    line's other findings, repaired as proposed on both sides)."""
    mark = _MARK.match(line, finding.start)
    if mark is None or not finding.fixed:
        return Verdict(True, "recorded; the detector proposes nothing here")
    prover = _Prover(line, mark, facts)
    start = prover.ghost.end() if prover.ghost else mark.end()
    simple_fixed = to_simplified(fixed)
    for codec in CODECS:
        run = _run_at(line, start, codec)
        if run is None or not codec.is_trail(run.data[0]):
            continue
        for p in range(0, 3):
            for q in range(0, 7):
                body = simple_fixed[p:len(simple_fixed) - q]
                head, tail = simple_fixed[:p], simple_fixed[len(simple_fixed) - q:]
                if not body or any(c not in _INFERRABLE for c in head) or (tail and not tail.isdigit()):
                    continue
                how = _fits(codec, run.data, run.end, body)
                if how is None:
                    continue
                rest = [f for f in others if f is not finding and f.fixed and not (f.start < finding.end and finding.start < f.end)]
                at = line.find(garbled)
                recorded = Finding(0, at, at + len(garbled), garbled, fixed, "", (), "")
                if quotes_balanced(apply(line, rest + [finding])) and not quotes_balanced(apply(line, rest + [recorded])):
                    return Verdict(False, f"the bytes read {body} ({how}), but the recorded {head or 'nothing'} "
                                          f"before it leaves the line's quotation marks unbalanced")
                if simple_fixed == finding.fixed or apply(line, [finding]) == to_simplified(apply(line, [recorded])):
                    return Verdict(True, "agrees with the bytes")
                differs = "the reading" if body != finding.reading else "what the bytes leave open"
                return Verdict(True, f"fits the bytes ({how}); differs from the proposal {finding.fixed} in {differs}")
    return Verdict(False, f"no reading of these bytes gives {simple_fixed}; the bytes read {finding.reading}")


# ---------------------------------------------------------------- decisions and the page

@dataclass(frozen=True)
class Repair:
    """A span as the page shows it: a reviewed repair, a proposed one, or damage flagged as it is."""
    text: str                 # the damaged text as it stands in the seed
    fixed: str                # what the page shows (the text itself for a flag)
    note: str
    line: int = 0             # the decision's line in the side file (0 if none)
    status: str = "reviewed"  # reviewed | proposed | flagged
    evidence: str = ""
    inferred: str = ""


def resolve_line(raw: str, number: int, decisions, facts_of, used: set) -> tuple[str, list[Repair], list[Finding]]:
    """The line with repaired spans between MARK_OPEN and MARK_CLOSE, the repairs in text order,
    and the findings no decision covers (proposed repairs are applied and marked as proposed).

    decisions: ingest.Decision items (text, fixed or None for keep, note, line); facts_of: a
    function returning the article's Facts (computed only when the line needs them); used: the
    side-file lines of decisions that matched, updated in place."""
    from ..chinese import MARK_CLOSE, MARK_OPEN
    findings = scan_line(raw, number, facts_of()) if (_MARK.search(raw) or NEVER_TEXT.search(raw)) else []
    spans: list[tuple[int, int, Repair]] = []
    for d in sorted(decisions, key=lambda d: -len(d.text)):
        pos = raw.find(d.text)
        while pos != -1:
            end = pos + len(d.text)
            if not any(s < end and pos < e for s, e, _ in spans):
                used.add(d.line)
                if d.fixed is not None:
                    f = next((f for f in findings if f.start < end and pos < f.end and f.fixed), None)
                    spans.append((pos, end, Repair(d.text, d.fixed, d.note, d.line, "reviewed",
                                                   f.evidence if f else "", f.inferred if f else "")))
                else:
                    spans.append((pos, end, None))
            pos = raw.find(d.text, pos + 1)
    undecided = []
    for f in findings:
        if any(s < f.end and f.start < e for s, e, _ in spans):
            continue
        undecided.append(f)
        if f.fixed is not None:
            note = f"Proposed from the bytes, not yet reviewed: {f.evidence}" + (f" INFERRED: {f.inferred}." if f.inferred else "")
            spans.append((f.start, f.end, Repair(f.text, f.fixed, note, 0, "proposed", f.evidence, f.inferred)))
        else:
            spans.append((f.start, f.end, Repair(f.text, f.text, f"Possible damage, not repaired: {f.evidence}", 0,
                                                 "flagged", f.evidence)))
    out, pos, repairs = [], 0, []
    for s, e, rep in sorted(spans, key=lambda x: x[0]):
        out.append(raw[pos:s])
        if rep is None:
            out.append(raw[s:e])
        else:
            out.append(MARK_OPEN + rep.fixed + MARK_CLOSE)
            repairs.append(rep)
        pos = e
    out.append(raw[pos:])
    return "".join(out), repairs, undecided


# ---------------------------------------------------------------- accepting proposals into the side file

@locked_edit          # two commands editing one side file take turns
def accept_repairs(side: Path, findings) -> list[Finding]:
    """Add each proposed repair (a finding with a reading) to the side file's `mojibake:` list as
    garbled / fixed / note, by the structural edit of scripts/memory_edit.py: the new entries are
    spliced in after the list's last one (or `mojibake:` is added at the end), every other byte of
    the file — comments, other entries, CRLF line endings — stays as it was, the result is checked
    against the side-file schema and replaces the file atomically. A repair already recorded for
    the same garbled text is not added again. Returns the findings written."""
    from .. import schema
    from ..memory_edit import append_to_list
    chosen = [f for f in findings if f.fixed is not None]
    if not chosen:
        return []
    written: list[Finding] = []

    def make(existing: list) -> list[dict]:
        have = {str(item.get("garbled", item.get("keep", ""))) for item in existing if isinstance(item, dict)}
        out = []
        for f in chosen:
            if f.text in have:
                continue
            note = f"accepted from the bytes: {f.evidence}" + (f"; INFERRED: {f.inferred}" if f.inferred else "")
            out.append({"garbled": f.text, "fixed": f.fixed, "note": note})
            have.add(f.text)
            written.append(f)
        return out

    append_to_list(side, "mojibake", make, lambda path: schema.load(path, schema.files.SIDE_FILE))
    return written


def covered(finding, text: str, decision_text: str) -> bool:
    """True when an occurrence of decision_text in the line overlaps the finding's span."""
    start = text.find(decision_text)
    while start != -1:
        if start < finding.end and finding.start < start + len(decision_text):
            return True
        start = text.find(decision_text, start + 1)
    return False
