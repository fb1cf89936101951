"""The theme's Jinja templates compiled while the page build runs, for MkDocs to use once it renders.

MkDocs makes a fresh Jinja environment for every build and compiles each template it renders the
first time it is asked for (a quarter of a second for Material's 40-odd templates and partials,
after the pages are built). A one-off `mkdocs build` waits for our page-build worker with a core to
spare, so the pipeline hook has `compile_ahead` compile them meanwhile — the page template, the
theme's static templates and every template they name, found in their syntax trees — into an
in-memory bytecode cache, which `attach` gives MkDocs' own environment (`on_env`). A template then
loads from the compiled code instead of being compiled again: the same code, the same pages.
Nothing is kept on disk or between builds. The cache is attached only when the environment would
compile exactly as the one the templates were compiled in (same options, extensions, filter and
test names); a template that could not be compiled ahead is compiled as before, when it is used.
"""
from __future__ import annotations

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


def compile_ahead(env: jinja2.Environment, names) -> Compiled:
    """Compile the templates `names` and every template they name (statically) in `env`, a fresh
    environment of the theme; a template that cannot be found or compiled is left out."""
    cache = Compiled(fingerprint(env))
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)
            tree = env.parse(source, name, filename)
            code = env.compile(tree, name, filename)
        except jinja2.TemplateError:
            continue
        todo.extend(sorted(n for n in meta.find_referenced_templates(tree) if n))
        bucket = cache.get_bucket(env, name, filename, source)
        bucket.code = code
        cache.set_bucket(bucket)
    return cache


def attach(env: jinja2.Environment, cache: Compiled | None) -> bool:
    """Let `env` load templates from `cache` if it compiles as the environment the cache was made
    in and has no bytecode cache of its own; whether it did."""
    if cache is None or env.bytecode_cache is not None or fingerprint(env) != cache.fingerprint:
        return False
    env.bytecode_cache = cache
    return True
