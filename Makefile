# 百模志 — every target sets up what it needs; nothing is installed by hand.
# `make serve` needs Python ≥ 3.11 (with its venv module) and make: no root, nothing from apt, and
# nothing written to HOME by the build (matplotlib's cache lives in .cache/; the CJK font is in the
# repository). `make test` also needs Debian packages (browser-deps), which it installs when run as root.
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Python 3.11 or later (every pin in requirements.txt installs on 3.11.0: pymdown-extensions stays on
# 12.x because 13 requires 3.11.5, newer than Debian 12's python3). PY is the first such python3 or
# python3.1N found along PATH, unless given (make PY=/opt/python3.12/bin/python3).
PY_OK := import sys; sys.exit(sys.version_info < (3, 11))
ifeq ($(origin PY),undefined)
PY := $(shell IFS=:; for d in $$PATH; do for p in "$$d"/python3 "$$d"/python3.1[1-9]; do \
        [ -x "$$p" ] && "$$p" -c '$(PY_OK)' >/dev/null 2>&1 && { echo "$$p"; exit; }; done; done)
endif
# The last commit's time dates `make site` (sitemap); without git, or outside a clone, 0.
SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct 2>/dev/null),0)

.PHONY: serve site build test qa status bench pdf font clean-site browser-deps node-deps help

help:
	@echo "make serve   build and serve the site on http://127.0.0.1:8000 (live reload)"
	@echo "make test    run the whole test suite"
	@echo "make site    build the static site into site/ (mkdocs build --strict)"
	@echo "make pdf     the whole site and each article as PDFs (dist/), then the site offering them"
	@echo "make bench   print the performance benchmark"
	@echo "make qa      translation QA report;  make status  translation status"
	@echo "make font    regenerate the bundled CJK font (docs/assets/fonts/) from fonts-noto-cjk"

# The virtual environment: made once (about a minute), brought up to date when requirements.txt
# changes. A venv left half-made by an interrupted run (no working pip) is made again.
$(STAMP): requirements.txt
	@[ -n "$(PY)" ] || { found=$$(IFS=:; for d in $$PATH; do for p in "$$d"/python3 "$$d"/python3.1[0-9]; do \
	    [ -x "$$p" ] && printf '%s (%s), ' "$$p" "$$("$$p" --version 2>&1)"; done; done); \
	  echo "make: the site needs Python 3.11 or later; PATH has $$(f=$${found:-no python3, }; echo "$${f%, }"). Install a newer" \
	    "Python (pyenv, uv or python.org) and name it if it is not on PATH: make serve PY=/path/to/python3"; exit 1; }
	@$(PY) -c '$(PY_OK)' || { echo "make: $(PY) is $$($(PY) --version 2>&1); the pinned packages need" \
	    "Python 3.11 or later: make PY=/path/to/python3.12"; exit 1; }
	@$(PY) -c 'import venv, ensurepip' 2>/dev/null || { echo "make: $(PY) cannot create a virtual" \
	    "environment (its venv/ensurepip module is missing). On Debian or Ubuntu install it:" \
	    "sudo apt-get install python$$($(PY) -c 'import sys; print(*sys.version_info[:2], sep=".")')-venv"; exit 1; }
	@if ! $(BIN)/python -c '$(PY_OK); import pip' >/dev/null 2>&1; then \
	  if [ -L $(VENV) ]; then echo "make: $(VENV) links to a Python environment that does not work (or is too old): remove it"; exit 1; fi; \
	  echo "setting up $(VENV) with $$($(PY) --version) from $(PY) (first run: about a minute) …"; \
	  rm -rf $(VENV) && $(PY) -m venv $(VENV) || exit 1; \
	fi
	@echo "installing the pinned packages of requirements.txt into $(VENV) …"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-input \
	  $$( [ -w "$${HOME:-/nonexistent}" ] || echo --no-cache-dir ) -r requirements.txt
	@touch $(STAMP)

# Another address: make serve ADDR=127.0.0.1:8001
ADDR ?= 127.0.0.1:8000
serve: $(STAMP)
	@echo "building the site and serving it at http://$(ADDR)/ (a first build takes about half a minute; Ctrl-C stops)"
	$(BIN)/mkdocs serve --dev-addr $(ADDR)

# SITE_URL overrides site_url from mkdocs.yml (the Pages workflow passes the fork's address).
site: $(STAMP)
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(if $(SITE_URL),SITE_URL="$(SITE_URL)") $(BIN)/mkdocs build --strict --clean

build: $(STAMP)
	$(BIN)/python -m scripts build

status: $(STAMP)
	$(BIN)/python -m scripts status

qa: $(STAMP)
	$(BIN)/python -m scripts qa

# Maintainers only: needs Debian's fonts-noto-cjk; writes docs/assets/fonts/ (see FONTLOG.txt there).
font: $(STAMP)
	$(BIN)/python -m scripts font

# Debian packages the browser tests and the PDF need: Chromium, Noto CJK fonts (the screen pages
# use the reader's fonts; the build and the PDF's Simplified Chinese use the bundled one), poppler
# (pdfunite, pdftotext, pdffonts) and Node.js/npm (for axe-core). Installed only if something is
# missing, and only as root; otherwise the exact command is printed and make stops.
browser-deps:
	@pkgs=""; \
	  { [ -n "$$BM_CHROMIUM" ] || command -v chromium >/dev/null 2>&1; } || pkgs="$$pkgs chromium"; \
	  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || pkgs="$$pkgs fonts-noto-cjk"; \
	  command -v pdftotext >/dev/null 2>&1 || pkgs="$$pkgs poppler-utils"; \
	  command -v npm >/dev/null 2>&1 || pkgs="$$pkgs nodejs npm"; \
	  [ -z "$$pkgs" ] && exit 0; \
	  if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	    echo "make test needs these Debian packages:$$pkgs. Install them, then run make test again:"; \
	    echo "  sudo apt-get install -y$$pkgs"; \
	    echo "(another system: the same software from its package manager; another Chromium: BM_CHROMIUM=/path/to/chrome)"; \
	    exit 1; \
	  fi; \
	  echo "installing$$pkgs (Debian packages) …"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null) \
	    || { echo "make: apt-get could not install$$pkgs"; exit 1; }

# Node packages for the tests (axe-core), pinned in package.json / package-lock.json.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json | browser-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node-deps: $(NODE_STAMP)

test: $(STAMP) browser-deps node-deps
	$(BIN)/python -m pytest -q

# The PDFs (the whole edition in dist/baimozhi.pdf, each article in dist/articles/), then the site again:
# the build offers them (site/pdf/, linked from each article, the home page and the Articles index)
# because dist/pdf.json records them for these very sources (scripts/pdf_links.py). The Pages
# workflow publishes this. Without it (make site, make serve) no page links a PDF.
pdf: $(STAMP) browser-deps site
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(if $(SITE_URL),SITE_URL="$(SITE_URL)") $(BIN)/python -m scripts pdf
	@echo "building the site again, now offering the PDFs …"
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(if $(SITE_URL),SITE_URL="$(SITE_URL)") $(BIN)/mkdocs build --strict --clean

bench: $(STAMP)
	$(BIN)/python -m scripts bench

clean-site:
	rm -rf site dist .cache/build

# ---- Zensical, the second builder (README "Builders"): the same docs/ into site-zensical/ -------
# The pipeline writes docs/ and zensical.yml (mkdocs.yml + the navigation); Zensical runs no MkDocs
# hooks, so the pipeline runs first. Never `zensical build --clean`: it deletes all of .cache/.
.PHONY: site-zensical serve-zensical

site-zensical: $(STAMP)
	$(if $(SITE_URL),SITE_URL="$(SITE_URL)") $(BIN)/python -m scripts build
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(if $(SITE_URL),SITE_URL="$(SITE_URL)") $(BIN)/zensical build --strict -f zensical.yml

# Serves site-zensical's build with live reload of docs/; after editing seeds/ or data/, run
# `python -m scripts build` (or `make site-zensical`) again: Zensical cannot run the pipeline itself.
serve-zensical: $(STAMP)
	$(BIN)/python -m scripts build
	$(BIN)/zensical serve -f zensical.yml --dev-addr 127.0.0.1:8000
