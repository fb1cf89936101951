"""`make bench`: the site's cost measured side by side with a plain MkDocs build, in one run.

Every row is a ratio of two timings taken in this run on this machine (medians of repeated runs),
next to its target. Timings of whole builds are wall-clock subprocess runs of `mkdocs build`, ours
and plain alternating; their ratio is the median of the pairs' ratios (`paired`).
"""
from __future__ import annotations

import gzip
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import copy_project

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 3
BUILD_REPEAT = 9          # whole builds, ours and plain alternating: the median of nine paired ratios
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
# The builds run as a user's do: Python keeps the bytecode of the code it runs (__pycache__), as pip
# did for the libraries when it installed them. A machine that turns that off for every program
# (PYTHONDONTWRITEBYTECODE, as some containers do) would make our build compile its own 57
# modules again in each of its three processes while the plain build, which has no code of its own,
# compiles nothing; that case has a row of its own, without a target.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
NO_BYTECODE = dict(ENV, PYTHONDONTWRITEBYTECODE="1")


def plain_project(dest: Path) -> Path:
    """The same raw text as Markdown, the same theme, palette, search and Markdown extensions."""
    (dest / "docs").mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    def key(block: str) -> str:          # the block's first line that is not a comment
        return next((line for line in block.splitlines() if not line.startswith("#")), "")
    keep = [block for block in config.split("\n\n")
            if not key(block).startswith(("hooks:", "watch:", "extra:", "extra_css:", "extra_javascript:"))]
    # the theme override only announces our feed; the plain build has none
    plain = "\n\n".join(keep).replace("  custom_dir: overrides\n", "")
    (dest / "mkdocs.yml").write_text(plain, encoding="utf-8")
    (dest / "docs" / "index.md").write_text("# Plain build\n", encoding="utf-8")
    from .ingest import find_seeds
    for seed in find_seeds(ROOT / "seeds"):          # every article, whatever its form, as raw text
        (dest / "docs" / f"{seed.stem}.md").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    return dest


def run_build(project: Path, env: dict = ENV) -> float:
    """Seconds one `mkdocs build` takes in `project` (SystemExit if it fails)."""
    start = time.perf_counter()
    r = subprocess.run([MKDOCS, "build", "--quiet"], cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if r.returncode:
        raise SystemExit(f"bench: build failed in {project}: {r.stderr.strip().splitlines()[-1:]}")
    return elapsed


def make_cold(project: Path) -> None:
    """No build cache, no generated pages or figures, no site. Kept, as for the plain build (jieba's
    dictionary cache in the temp dir): .cache/lib, one-off indexes of installed libraries. What the
    last build wrote into docs/ is what its manifest lists."""
    import json
    manifest = project / ".cache" / "build" / "manifest.json"
    if manifest.is_file():
        for rel in json.loads(manifest.read_text(encoding="utf-8")).get("files", {}):
            (project / "docs" / rel).unlink(missing_ok=True)
    for rel in (".cache/build", "site", "docs/articles", "docs/data", "docs/assets/figures",
                "docs/glossary", "docs/who", "docs/figures", "docs/timeline"):
        shutil.rmtree(project / rel, ignore_errors=True)


def drop_bytecode(project: Path) -> None:
    """No bytecode of the project's own code (the libraries' stays, as pip wrote it)."""
    for cache in sorted(project.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)


def median(xs) -> float:
    """The median of the timings."""
    return statistics.median(xs)


# ---------------------------------------------------------------- measurements

def full_builds(tmp: Path) -> list[tuple]:
    """Cold and warm whole builds, ours against the plain MkDocs build, alternating; then cold builds
    with Python's bytecode cache turned off (ours compiling its code each time), without a target."""
    ours, plain = copy_project(tmp / "ours"), plain_project(tmp / "plain")
    run_build(plain)                       # one-offs paid first: jieba's dictionary cache in /tmp,
    make_cold(ours)                        # the bytecode of our code
    run_build(ours)
    cold_o, cold_p = [], []
    for _ in range(BUILD_REPEAT):
        make_cold(ours)
        shutil.rmtree(plain / "site", ignore_errors=True)
        cold_o.append(run_build(ours))
        cold_p.append(run_build(plain))
    warm_o, warm_p = [], []
    for _ in range(BUILD_REPEAT):
        warm_o.append(run_build(ours))
        warm_p.append(run_build(plain))
    bare_o, bare_p = [], []
    for _ in range(REPEAT):
        make_cold(ours)
        drop_bytecode(ours)
        shutil.rmtree(plain / "site", ignore_errors=True)
        bare_o.append(run_build(ours, NO_BYTECODE))
        bare_p.append(run_build(plain, NO_BYTECODE))
    return [
        ("full build, cold caches", median(cold_o), median(cold_p), 2.5, "≤", paired(cold_o, cold_p)),
        ("full build, warm caches, nothing changed", median(warm_o), median(warm_p), 1.3, "≤", paired(warm_o, warm_p)),
        ("full build, cold caches, no bytecode cache (PYTHONDONTWRITEBYTECODE)", median(bare_o), median(bare_p),
         None, "", paired(bare_o, bare_p)),
    ]


def paired(ours: list[float], base: list[float]) -> float:
    """The median of the ratios of builds run back to back: each pair shares the machine's moment,
    so a slow spell of the machine (this VM's speed drifts by a third within minutes) weighs on
    both sides of a ratio instead of on one side of the medians.

    >>> paired([2.0, 9.0, 3.0], [1.0, 3.0, 1.0])
    3.0
    """
    return median([o / b for o, b in zip(ours, base)])


def synthetic_project(tmp: Path, n: int, paragraphs: list[str]) -> Path:
    """A project of `n` made-up articles, each six seed paragraphs drawn at random (fixed seed)."""
    proj = copy_project(tmp / f"synthetic-{n}", seeds=False, figures=False)
    rng = random.Random(n)
    for i in range(n):
        body = "\n\n".join(rng.sample(paragraphs, 6))
        (proj / "seeds" / f"s{i:04d}.txt").write_text(f"合成文章第{i}篇\n\n{body}\n", encoding="utf-8")
    return proj


def clean_paragraphs() -> list[str]:
    """Seed paragraphs without mojibake flags, the material of the synthetic articles."""
    from .mojibake import flag_line
    from .paths import Paths
    from .pipeline import Context, load_articles
    out = []
    for a in load_articles(Context.load(Paths(ROOT))):
        for item in a.alignment.items:
            text = item.segment.plain
            if item.segment.kind == "paragraph" and not flag_line(text, 1):
                out.append(text)
    return out


def clear_memo() -> None:
    """Empty the build's in-memory caches and the annotators' memo tables."""
    from .annotate import words
    from .cache import Cache
    Cache.memory.clear()
    for fn in (words._cut_cached, words.pinyin_of, words.lookup):
        fn.cache_clear()


def scaling(tmp: Path, paragraphs: list[str]) -> list[tuple]:
    """Per-article pipeline cost at 500 against 50 articles, in one warm process."""
    from .build import build
    from .paths import Paths
    warm = synthetic_project(tmp, 3, paragraphs)
    build(Paths(warm))                     # load libraries once; both sizes then run in a warm process
    cost = {}
    for n in (50, 500):
        proj = synthetic_project(tmp, n, paragraphs)
        clear_memo()
        start = time.perf_counter()
        build(Paths(proj))
        cost[n] = (time.perf_counter() - start) / n
    return [("per-article pipeline cost, 500 vs 50 articles", cost[500], cost[50], 1.1, "≤")]


def corpus(paragraphs: list[str], size: int = 1_000_000) -> list[str]:
    """About `size` bytes of distinct paragraphs, each six seed sentences recombined (fixed seed)."""
    sentences = [s for p in paragraphs for s in re.findall(r"[^。！？]+[。！？]?", p) if s.strip()]
    rng, out, total = random.Random(7), [], 0
    while total < size:
        para = "".join(rng.sample(sentences, 6))
        out.append(para)
        total += len(para.encode("utf-8"))
    return out


def throughput(paragraphs: list[str]) -> list[tuple]:
    """Terms + numbers + dictionary over ~1 MB of Chinese, caches emptied before each run."""
    from .annotate import Lexicon, numbers, words
    lexicon = Lexicon.load(ROOT / "data")
    words.cedict()
    texts = corpus(paragraphs)
    text_bytes = sum(len(p.encode("utf-8")) for p in texts)
    rates = []
    for _ in range(REPEAT):
        clear_memo()
        start = time.perf_counter()
        for p in texts:
            lexicon.matcher.find(p)
            numbers.find(p)
            for w in words.cut(p):
                words.lookup(w)
        rates.append(text_bytes / (time.perf_counter() - start) / 1e6)
    return [(f"annotation throughput, terms + numbers + dictionary (MB/s, {text_bytes / 1e6:.1f} MB)",
             median(rates), 1.0, 2.0, "≥")]


INGEST_CLEAN_TARGET = 0.2      # MB/s of raw scrape through ingest + clean: a 20 KB scrape in 0.1 s
INGEST_CLEAN_LOOPS = 5         # passes over the corpus per timing (it is small)


def ingest_clean_files() -> list[Path]:
    """The development corpus (every input form: the scrapes its PROVENANCE.yml lists); the seeds
    when there is none."""
    from . import yamlio
    from .ingest import find_seeds
    corpus_dir = ROOT / "tests" / "corpus"
    listed = corpus_dir / "PROVENANCE.yml"
    files = sorted(corpus_dir / str(e["file"]) for e in yamlio.load(listed)) if listed.is_file() else []
    return files or find_seeds(ROOT / "seeds")


def ingest_clean(files: list[Path], repeat: int = REPEAT, loops: int = INGEST_CLEAN_LOOPS) -> list[tuple]:
    """Raw scrape bytes per second through decoding, the form's reader (trafilatura for pages,
    markdown-it-py for clips), the chrome classifier, metadata inference, the mojibake detector and
    the fixers: `clean()` with no side file. An article stopped by undecided mojibake has been cleaned
    in full before the stop, so it counts."""
    from . import clean, ingest, readers
    from .errors import BuildError
    rules = clean.load_rules(ROOT / "data" / "cleaning.yml")
    raw = [(p, p.read_bytes()) for p in files]
    total = sum(len(b) for _, b in raw) * loops
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(loops):
            readers._read_cached.cache_clear()
            for path, data in raw:
                seed = ingest.Seed(path, ingest.decode(path, data))
                try:
                    clean.clean(seed, ingest.Meta(slug="bench"), rules)
                except BuildError as exc:
                    if "mojibake" not in exc.message:
                        raise
        rates.append(total / (time.perf_counter() - start) / 1e6)
    forms = sorted({readers.detect_format(p.name, d.decode("utf-8", "replace"))[0] for p, d in raw})
    return [(f"ingest + clean throughput, {len(raw)} scrapes ({'/'.join(forms)}), MB/s",
             median(rates), None, INGEST_CLEAN_TARGET, "≥")]


def in_fresh_process(name: str, tmp: Path) -> list[tuple]:
    """The rows of this module's `name(tmp)`, measured in a new interpreter: a process that has only
    done that, as a `mkdocs serve` has, not one holding what the other measurements left behind."""
    import json
    code = (f"import json, sys; from pathlib import Path; from scripts.bench import {name}\n"
            f"sys.stdout.write('\\nROWS ' + json.dumps({name}(Path({str(tmp)!r}))))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, text=True)
    if r.returncode or "\nROWS " not in r.stdout:
        raise SystemExit(f"bench: {name} failed: {r.stderr.strip().splitlines()[-1:]}")
    return [tuple(row) for row in json.loads(r.stdout.rsplit("\nROWS ", 1)[1])]


def serve_rebuilds(tmp: Path) -> list[tuple]:
    """What `mkdocs serve` does on a change: reload the config (our hook runs) and build again."""
    import logging
    from mkdocs.commands.build import build as mk_build
    from mkdocs.config import load_config
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    proj = copy_project(tmp / "serve")
    import yaml
    tm = sorted((proj / "seeds").glob("*.en.yml"))[0]
    original = tm.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    first = data["segments"][0]["pairs"][0]
    english = first["en"]
    cwd = os.getcwd()
    os.chdir(proj)
    try:
        def rebuild() -> float:
            start = time.perf_counter()
            config = load_config(config_file=str(proj / "mkdocs.yml"), site_dir=str(proj / "site"))
            mk_build(config)
            return time.perf_counter() - start
        rebuild()
        rebuild()
        unchanged, edited = [], []
        for i in range(BUILD_REPEAT):           # side by side: the machine's pace drifts over a run
            unchanged.append(rebuild())
            first["en"] = f"{english} (edit {i + 1})"      # one translation changes, nothing else
            tm.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            edited.append(rebuild())
    finally:
        tm.write_text(original, encoding="utf-8")
        os.chdir(cwd)
    return [("serve rebuild after editing one translation vs unchanged", median(edited), median(unchanged), 1.2, "≤",
             paired(edited, unchanged))]


def page_weights(site: Path) -> list[tuple]:
    """Gzipped size of the largest article page, of all our JS and of all our JS and CSS (every file
    mkdocs.yml adds to each page)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = {key: re.findall(r"^  - (\S+)", text.split(f"\n{key}:\n", 1)[1].split("\n\n", 1)[0], re.M)
              for key in ("extra_javascript", "extra_css")}
    pages = sorted((site / "articles").glob("*/index.html"), key=lambda p: p.stat().st_size)
    biggest = pages[-1].read_bytes()
    js = b"".join((ROOT / "docs" / n).read_bytes() for n in config["extra_javascript"])
    added = js + b"".join((ROOT / "docs" / n).read_bytes() for n in config["extra_css"])
    kb = lambda b: len(b) / 1024  # noqa: E731
    return [
        (f"largest article page ({pages[-1].parent.name}), KB gzip (raw {kb(biggest):.0f})", kb(gzip.compress(biggest, mtime=0)), None, 120, "≤"),
        (f"added JS ({len(config['extra_javascript'])} files), KB gzip (raw {kb(js):.1f})", kb(gzip.compress(js, mtime=0)), None, 15, "≤"),
        (f"added JS + CSS, KB gzip (raw {kb(added):.1f})", kb(gzip.compress(added, mtime=0)), None, None, ""),
    ]


def main() -> int:
    """Run every measurement and print the table, each target met or missed."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bm-bench-") as t:
        tmp = Path(t)
        print("bench: full builds (cold and warm, ours vs plain MkDocs)…", file=sys.stderr)
        rows += full_builds(tmp)
        rows += page_weights(tmp / "ours" / "site")
        paragraphs = clean_paragraphs()
        print("bench: annotation throughput…", file=sys.stderr)
        rows += throughput(paragraphs)
        print("bench: ingest + clean throughput on the corpus…", file=sys.stderr)
        rows += ingest_clean(ingest_clean_files())
        print("bench: 50 vs 500 synthetic articles…", file=sys.stderr)
        rows += scaling(tmp, paragraphs)
        print("bench: serve rebuilds…", file=sys.stderr)
        rows += in_fresh_process("serve_rebuilds", tmp)
    print(f"{'measure':<66} {'ours':>9} {'baseline':>9} {'ratio':>7} {'target':>8}  result")
    failures = 0
    for row in rows:
        name, ours, base, target, sense = row[:5]
        if base is None:
            value, shown_base, ratio = ours, "", f"{ours:.1f}"
        elif name.startswith("annotation"):
            value, shown_base, ratio = ours, "", f"{ours:.2f}"
        else:
            value = row[5] if len(row) > 5 else ours / base       # a paired ratio where the row has one
            shown_base, ratio = f"{base:.3f}", f"{value:.2f}×"
        ok = target is None or (value <= target if sense == "≤" else value >= target)
        failures += not ok
        shown_ours = f"{ours:.3f}" if base is not None and not name.startswith("annotation") else f"{ours:.2f}"
        print(f"{name:<66} {shown_ours:>9} {shown_base:>9} {ratio:>7} {(sense + str(target)) if target else '':>8}  "
              f"{'ok' if ok else 'MISSED'}")
    print(f"bench: {len(rows) - failures} of {len(rows)} targets met (times in seconds; per-article rows in s/article)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
