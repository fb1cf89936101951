# 百模志 — every target sets up what it needs; nothing is installed by hand.
PY ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve site build test qa status bench pdf clean-site browser-deps node-deps help

help:
	@echo "make serve   build and serve the site on http://127.0.0.1:8000 (live reload)"
	@echo "make test    run the whole test suite"
	@echo "make site    build the static site into site/ (mkdocs build --strict)"
	@echo "make pdf     write the whole site as one PDF into dist/"
	@echo "make bench   print the performance benchmark"
	@echo "make qa      translation QA report;  make status  translation status"

$(STAMP): requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# SITE_URL overrides site_url from mkdocs.yml (the Pages workflow passes the fork's address).
site: $(STAMP)
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(if $(SITE_URL),SITE_URL="$(SITE_URL)") $(BIN)/mkdocs build --strict --clean

build: $(STAMP)
	$(BIN)/python -m scripts build

status: $(STAMP)
	$(BIN)/python -m scripts status

qa: $(STAMP)
	$(BIN)/python -m scripts qa

# Debian packages the browser tests and the PDF need: Chromium, Noto CJK fonts, poppler (pdfunite,
# pdftotext, pdffonts) and Node.js/npm (for axe-core). Installed only if something is missing.
browser-deps:
	@pkgs=""; \
	  { [ -n "$$BM_CHROMIUM" ] || command -v chromium >/dev/null 2>&1; } || pkgs="$$pkgs chromium"; \
	  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || pkgs="$$pkgs fonts-noto-cjk"; \
	  command -v pdftotext >/dev/null 2>&1 || pkgs="$$pkgs poppler-utils"; \
	  command -v npm >/dev/null 2>&1 || pkgs="$$pkgs nodejs npm"; \
	  [ -z "$$pkgs" ] || { echo "installing$$pkgs (Debian packages)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null) \
	    || { echo "could not install$$pkgs: run as root or install them with apt-get"; exit 1; }; }

# Node packages for the tests (axe-core), pinned in package.json / package-lock.json.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json | browser-deps
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node-deps: $(NODE_STAMP)

test: $(STAMP) browser-deps node-deps
	$(BIN)/python -m pytest -q

pdf: $(STAMP) browser-deps site
	$(BIN)/python -m scripts pdf

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
