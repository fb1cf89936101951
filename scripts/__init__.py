"""百模志 build pipeline.

Stages, one module each, in the order a build runs them:

    ingest -> clean (mojibake) -> segment -> align -> annotate -> render -> figures -> site

`python -m scripts --help` lists the command-line verbs; the MkDocs hooks in `hooks/` run the same build
from inside `mkdocs build` / `mkdocs serve`.
"""
