"""Command line: thin verbs over the library. `python -m scripts --help`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import BuildError
from .paths import Paths


def _seed(paths: Paths, ident: str) -> Path:
    from .ingest import find_seeds
    for p in find_seeds(paths.seeds):
        if ident in (p.stem, p.name) or p.stem.startswith(ident + "_") or p.stem == ident:
            return p
    raise BuildError(paths.seeds, f"no seed called {ident!r}", None, "use a file name from seeds/ (e.g. 000)")


def cmd_build(args, paths):
    """`build`: write the generated pages into docs/."""
    from .build import build
    out = build(paths)
    print(f"built {len(out.files)} files into {paths.docs}")


def cmd_clean(args, paths):
    """`clean ID`: an article's cleaned segments; --report each removed or changed line; --flags the mojibake flags."""
    from .pipeline import Context, process
    from .clean import list_flags
    from . import ingest
    ctx = Context.load(paths)
    seed_path = _seed(paths, args.id)
    if args.flags:
        seed, meta = ingest.read_seed(seed_path), ingest.load_meta(seed_path)
        for line in flag_lines(seed_path.name, list_flags(seed, meta, ctx.rules)):
            print(line)
        return
    article = process(seed_path, ctx)
    if args.report:
        print(report_text(article))
        return
    for item in article.alignment.items:
        print(f"[{item.segment.id} {item.segment.kind}] {item.segment.plain}")


SIDE_FIELDS = {"title": "title", "outlet": "outlet", "published": "published", "authors": "people",
               "editors": "people"}


def report_text(article) -> str:
    """`clean ID --report`: the seed's form, the metadata found and its evidence, then every block
    kept or removed and every line changed or repaired, with the reason."""
    c, meta = article.cleaned, article.meta
    out = [f"format: {c.format} ({c.format_why})" if c.format_why else f"format: {c.format}", "metadata:"]
    for name, e in c.evidence.items():
        side = SIDE_FIELDS.get(name)
        overridden = side and getattr(meta, side) and (getattr(getattr(meta, side), "zh", True))
        note = f"  [the side file's {side} is used]" if overridden else ""
        out.append(f"  {name:<14} {e.value}  ← {e.describe()}{note}")
    if not c.evidence:
        out.append("  (nothing found)")
    out.append("blocks:")
    removed_later = {ch.line for ch in c.report if ch.action == "removed"}
    rows = [(v.block.line, 0, f"{v.block.line:>4} kept     {v.reason}: {_short(v.block.text)}")
            for v in c.verdicts if v.keep and v.block.line not in removed_later]
    for ch in c.report:
        if ch.action == "removed":
            rows.append((ch.line, 1, f"{ch.line:>4} removed  {ch.why}: {ch.before}"))
        elif ch.action in ("repaired", "flagged"):
            rows.append((ch.line, 2, f"{ch.line:>4} {ch.action} {ch.before!r} -> {ch.after!r}: {ch.why}"))
        else:
            rows.append((ch.line, 3, f"{ch.line:>4} changed  ({ch.why})\n       - {ch.before}\n       + {ch.after}"))
    out.extend(row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1])))
    return "\n".join(out)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def flag_lines(name: str, flags) -> list[str]:
    """`clean --flags`: one block per finding — where, what, the decision, the byte evidence."""
    out = []
    for f, raw, decision, verdict in flags:
        if f is None:
            out.append(f"{name}:?\trecorded repair {decision.text!r} -> {decision.fixed!r}: the detector finds no "
                       f"damage there (kept as recorded)")
            continue
        if decision is None:
            state = f"UNDECIDED, proposed {f.fixed!r}" if f.fixed else "UNDECIDED, not repaired: keep it or write a repair"
        elif decision.fixed is None:
            state = "keep (recorded)"
        else:
            state = f"repair -> {decision.fixed!r} (recorded; {'' if verdict.ok else 'DISAGREES: '}{verdict.message})"
        context = raw[max(0, f.start - 6):f.end + 6]
        out.append(f"{name}:{f.line}:{f.start + 1}\t[{f.id}] {f.text!r}\t{f.why}\t…{context}…\t{state}")
        out.append(f"    evidence: {f.evidence}")
        if f.inferred:
            out.append(f"    INFERRED: {f.inferred}")
    return out


def cmd_accept_repairs(args, paths):
    """Write proposed repairs into the side file's mojibake: list (ruamel round trip, atomic)."""
    from . import ingest
    from .clean import list_flags
    from .pipeline import Context
    from .mojibake import accept_repairs
    seed_path = _seed(paths, args.id)
    seed, meta = ingest.read_seed(seed_path), ingest.load_meta(seed_path)
    pending = [f for f, _, decision, _ in list_flags(seed, meta, Context.load(paths).rules)
               if f is not None and decision is None]
    if not args.all and not args.flags:
        raise BuildError(seed_path, "name the findings to accept", None,
                         f"give their ids from `python -m scripts clean {args.id} --flags`, or --all")
    chosen = pending if args.all else [f for f in pending if f.id in args.flags]
    unknown = sorted(set(args.flags) - {f.id for f in pending})
    if unknown:
        raise BuildError(seed_path, f"no undecided finding {unknown[0]}", None,
                         f"see `python -m scripts clean {args.id} --flags`")
    written = accept_repairs(ingest.side_file(seed_path), chosen)
    for f in written:
        print(f"{f.id}: {f.text!r} -> {f.fixed!r}")
    skipped = [f for f in chosen if f.fixed is None]
    for f in skipped:
        print(f"{f.id}: {f.text!r} not repaired by the bytes: decide it by hand (keep or repair)")
    print(f"{len(written)} repair(s) written to {ingest.side_file(seed_path).name}")


def cmd_status(args, paths):
    """`status`: translated / stale / pending segments and orphan entries per article."""
    from .pipeline import Context, load_articles
    articles = load_articles(Context.load(paths))
    print(f"{'article':<34} {'status':<10} {'translated':>10} {'stale':>6} {'pending':>8} {'orphans':>8}")
    for a in articles:
        c = a.counts
        print(f"{a.seed.stem:<34} {a.meta.status:<10} {c['translated']:>10} {c['stale']:>6} {c['pending']:>8} "
              f"{len(a.alignment.orphans):>8}")
        for o in a.alignment.orphans:
            print(f"    orphan entry {o.id} (line {o.line} of {a.seed.stem}.en.yml): its segment no longer exists")


def cmd_sync(args, paths):
    """`sync [ID]`: add skeleton entries for new segments to the translation memory."""
    from .memory_edit import sync
    from .pipeline import Context, process
    from .ingest import find_seeds, tm_file
    ctx = Context.load(paths)
    seeds = [_seed(paths, args.id)] if args.id else find_seeds(paths.seeds)
    for p in seeds:
        a = process(p, ctx)
        n = sync(tm_file(p), a.segmented.segments, p.name)
        print(f"{p.name}: {n} new segment(s) added to {tm_file(p).name}")


def cmd_qa(args, paths):
    """`qa`: the translation QA report; exit 1 on errors in published articles."""
    from .pipeline import Context, load_articles
    from . import qa
    ctx = Context.load(paths)
    issues = qa.run(load_articles(ctx), ctx.lexicon, ctx.paths.data)
    print(qa.table(issues))
    if any(i.severity == "error" for i in issues):
        raise SystemExit(1)


def cmd_accept(args, paths):
    """`accept ID SEGMENT`: mark a reviewed stale translation as current."""
    from .memory_edit import accept
    from .pipeline import Context, process
    from .ingest import tm_file
    seed = _seed(paths, args.id)
    article = process(seed, Context.load(paths))
    item = next((i for i in article.alignment.items if i.segment.id == args.segment), None)
    if item is None:
        raise BuildError(tm_file(seed), f"no segment {args.segment}", None, "see `python -m scripts status`")
    print(f"{args.segment} -> {accept(tm_file(seed), item)}")


def cmd_bench(args, paths):
    """`bench`: the performance benchmark."""
    from .bench import main as bench
    bench()


def cmd_pdf(args, paths):
    """`pdf`: the built site as one PDF in dist/, and each article as its own (dist/articles/); the next
    build offers them on the site (pdf_links.py)."""
    from .pdf import main as make_pdf
    print(make_pdf(paths.root))


def cmd_font(args, paths):
    """`font`: make the bundled CJK figure font in docs/assets/fonts/ (--check: only compare)."""
    from . import fonts
    raise SystemExit(fonts.run(paths.data, paths.docs / "assets" / "fonts", args.check,
                               tuple(args.source or fonts.SOURCE_DIRS)))


def main(argv=None) -> int:
    """Parse the command line and run the verb; a BuildError is printed as one line (exit 1)."""
    from .fonts import add_arguments as font_arguments
    parser = argparse.ArgumentParser(prog="python -m scripts", description="百模志 build pipeline")
    parser.add_argument("--root", type=Path, default=None, help="project root (default: this checkout)")
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("build", help="write the generated pages into docs/").set_defaults(fn=cmd_build)
    p = sub.add_parser("clean", help="show an article's cleaned segments")
    p.add_argument("id")
    p.add_argument("--report", action="store_true", help="each removed or changed line and why")
    p.add_argument("--flags", action="store_true", help="mojibake flags and their decisions")
    p.set_defaults(fn=cmd_clean)
    p = sub.add_parser("accept-repairs", help="write repairs the bytes propose into the side file's mojibake: list")
    p.add_argument("id")
    p.add_argument("flags", nargs="*", metavar="FLAG", help="finding ids from `clean ID --flags` (line:column)")
    p.add_argument("--all", action="store_true", help="every undecided repair the bytes propose")
    p.set_defaults(fn=cmd_accept_repairs)
    sub.add_parser("status", help="translated / stale / pending per article").set_defaults(fn=cmd_status)
    sub.add_parser("qa", help="translation QA report (exit 1 on errors in published articles)").set_defaults(fn=cmd_qa)
    p = sub.add_parser("accept", help="mark a reviewed stale translation as current")
    p.add_argument("id")
    p.add_argument("segment")
    p.set_defaults(fn=cmd_accept)
    sub.add_parser("bench", help="performance benchmark against a plain MkDocs build").set_defaults(fn=cmd_bench)
    sub.add_parser("pdf", help="the built site (site/) as one PDF in dist/, each article in dist/articles/").set_defaults(fn=cmd_pdf)
    p = sub.add_parser("font", help="regenerate the bundled CJK font (docs/assets/fonts/) from fonts-noto-cjk")
    font_arguments(p)
    p.set_defaults(fn=cmd_font)
    p = sub.add_parser("sync", help="add skeleton entries for new segments to the translation memory")
    p.add_argument("id", nargs="?")
    p.set_defaults(fn=cmd_sync)
    args = parser.parse_args(argv)
    paths = Paths(args.root.resolve()) if args.root else Paths()
    try:
        args.fn(args, paths)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:            # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    except OSError as exc:             # a read-only folder, a full disk, a file removed meanwhile
        print(f"error: {os_error_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:          # Ctrl-C: every write is atomic, so nothing is half-written
        print("interrupted", file=sys.stderr)
        return 130
    return 0


def os_error_line(exc: OSError) -> str:
    """An OSError as one line `file: what — remedy` (nothing was written: every write is atomic).

    >>> os_error_line(OSError(28, "No space left on device", "seeds/.x.en.yml.tmp"))
    'seeds/.x.en.yml.tmp: No space left on device — free space or make the folder writable, then run it again (nothing was changed)'
    """
    what = " ".join(str(exc.strerror or exc).split())
    where = f"{exc.filename}: " if exc.filename is not None else ""
    return f"{where}{what} — free space or make the folder writable, then run it again (nothing was changed)"


if __name__ == "__main__":
    sys.exit(main())
