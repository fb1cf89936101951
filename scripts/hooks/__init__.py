"""MkDocs hooks, one per job, listed under `hooks:` in mkdocs.yml (MkDocs loads each file by its path):

- `pipeline.py`: runs our build before MkDocs reads docs/ and gives MkDocs the navigation;
- `search_segmenter.py`: Material's search cuts Chinese with rjieba and knows the glossary's words
  (and divides pages with the parser of scripts/search_parser.py, the same sections, faster);
- `raw_html.py`: finished HTML blocks pass Python-Markdown untouched (a speed-up; same page).

Everything the site needs is written by the pipeline into docs/ (and the navigation into
.cache/build/site.json); the hooks only connect it to MkDocs.
"""
