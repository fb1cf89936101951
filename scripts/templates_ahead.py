"""The theme's Jinja templates compiled while the page build runs, for MkDocs to use once it renders.

MkDocs makes a fresh Jinja environment for every build and compiles each template it renders the
first time it is asked for (a quarter of a second for Material's 40-odd templates and partials,
after the pages are built). A one-off `mkdocs build` waits for our page-build worker with a core to
spare, so the pipeline hook has `compile_ahead` compile them meanwhile — the page template, the
theme's static templates and every template they name, found in their syntax trees — into an
in-memory bytecode cache, which `attach` gives MkDocs' own environment (`on_env`). A template then
loads from the compiled code instead of being compiled again: the same code, the same pages.
The cache is attached only when the environment would compile exactly as the one the templates
were compiled in (same options, extensions, filter and test names); a template that could not be
compiled ahead is compiled as before, when it is used.

Templates of installed packages (Material's, MkDocs' sitemap) compile the same way in every build,
so with `store` (the hook passes .cache/lib/jinja, beside the other one-off indexes of installed
libraries) their compiled code and the names of the templates they name are kept on disk too, one
file per template named by the digest of everything its code depends on: the environment's
settings (`stable_fingerprint`), the template's name, path and source, and the Jinja and Python
versions. A build then reads Material's compiled templates instead of compiling them (0.39 ->
0.035 CPU-s). A file that is missing or cannot be read back is compiled again, files no template
used are removed, and the project's own templates (overrides/) are compiled every time. What is
kept runs as template code: .cache/ is trusted as the project's code and virtual environment are
(the build writes it; nothing from outside does).
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import sysconfig
from pathlib import Path
from types import CodeType

import jinja2
from jinja2 import meta

ENTRY = "main.html"      # the template MkDocs renders a page with, unless the page names another


class Compiled(jinja2.BytecodeCache):
    """Compiled templates by Jinja's bucket key, with the checksum of the source they came from."""

    def __init__(self, fingerprint: tuple):
        self.fingerprint = fingerprint
        self.codes: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give the bucket its code if it was compiled from the same source."""
        hit = self.codes.get(bucket.key)
        if hit is not None and hit[0] == bucket.checksum:
            bucket.code = hit[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the bucket's code (Jinja calls this after compiling a template it did not have)."""
        self.codes[bucket.key] = (bucket.checksum, bucket.code)


def fingerprint(env: jinja2.Environment) -> tuple:
    """Everything about an environment that changes how a template compiles."""
    return (type(env), env.code_generator_class, env.is_async, env.autoescape, env.optimized, env.finalize,
            env.undefined, env.newline_sequence, env.keep_trailing_newline, env.trim_blocks, env.lstrip_blocks,
            env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
            env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            tuple(sorted(env.extensions)), frozenset(env.filters), frozenset(env.tests))


def _qualified(x) -> str:
    return f"{x.__module__}.{x.__qualname__}" if hasattr(x, "__qualname__") else repr(x)


def stable_fingerprint(env: jinja2.Environment) -> str:
    """`fingerprint(env)` as text that is the same in every process (names, not objects or ids).

    >>> stable_fingerprint(jinja2.Environment()) == stable_fingerprint(jinja2.Environment())
    True
    """
    return repr(tuple(sorted(x) if isinstance(x, frozenset) else _qualified(x) if callable(x) else x
                      for x in fingerprint(env)))


def installed(filename: str | None) -> bool:
    """Whether a template file belongs to an installed package (not to the project).

    >>> installed(None), installed("/nowhere/overrides/main.html")
    (False, False)
    """
    if not filename:
        return False
    roots = {os.path.realpath(sysconfig.get_path(k)) for k in ("purelib", "platlib")}
    where = os.path.realpath(filename)
    return any(where.startswith(root + os.sep) for root in roots)


def _stored(store: Path, stable: str, name: str, filename: str, source: str) -> Path:
    key = "\0".join((stable, name, filename, source, jinja2.__version__, sys.version))
    return store / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.code"


def compile_ahead(env: jinja2.Environment, names, store: Path | None = None, keep=installed) -> Compiled:
    """Compile the templates `names` and every template they name (statically) in `env`, a fresh
    environment of the theme; a template that cannot be found or compiled is left out. With
    `store`, the templates whose file `keep` accepts (by default: those of installed packages) are
    read from there if compiled before, and kept there if not (see the module docstring); files
    there that no template used this time are removed."""
    cache = Compiled(fingerprint(env))
    stable = stable_fingerprint(env) if store is not None else ""
    todo, seen, used = list(names), set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateError:
            continue
        path = _stored(store, stable, name, filename, source) if store is not None and keep(filename) else None
        code = refs = None
        if path is not None:
            used.add(path.name)
            try:
                refs, code = marshal.loads(path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                code = None
            if not (isinstance(code, CodeType) and isinstance(refs, tuple) and all(isinstance(r, str) for r in refs)):
                code = None
        if code is None:
            try:
                tree = env.parse(source, name, filename)
                code = env.compile(tree, name, filename)
            except jinja2.TemplateError:
                continue
            refs = tuple(sorted(n for n in meta.find_referenced_templates(tree) if n))
            if path is not None:
                _keep(path, marshal.dumps((refs, code)))
        todo.extend(refs)
        bucket = cache.get_bucket(env, name, filename, source)
        bucket.code = code
        cache.set_bucket(bucket)
    if store is not None and used:
        _prune(store, used)
    return cache


def _keep(path: Path, data: bytes) -> None:
    from .paths import atomic_write
    try:
        atomic_write(path, data)
    except OSError:
        pass                          # a read-only checkout compiles every time, as before


def _prune(store: Path, used: set[str]) -> None:
    """Remove compiled templates no template of this build used (an older Material's)."""
    try:
        for p in store.glob("*.code"):
            if p.name not in used:
                p.unlink(missing_ok=True)
    except OSError:
        pass


def attach(env: jinja2.Environment, cache: Compiled | None) -> bool:
    """Let `env` load templates from `cache` if it compiles as the environment the cache was made
    in and has no bytecode cache of its own; whether it did."""
    if cache is None or env.bytecode_cache is not None or fingerprint(env) != cache.fingerprint:
        return False
    env.bytecode_cache = cache
    return True
