# Two commands on a fresh machine: `make demo` (set up, then score the seed
# article) and `make test` (set up, then run the tests). Both are idempotent:
# the virtual environment is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
SEED := training/data/articles/seed_article.txt

.PHONY: setup demo test bench browser
setup: $(STAMP) browser

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -e '.[train,eval,report,test]'
	rm -f $(VENV)/.installed-* && touch $@

# Headless Chromium for the browser tests (eval report, corpus report, annotation page) (Debian packages; as root, no sudo).
# Skipped quietly where apt-get is missing or not allowed: that test then skips.
browser:
	@test -x /usr/bin/chromium && test -x /usr/bin/chromedriver || ! command -v apt-get >/dev/null || \
	  { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } 2>/dev/null || true

demo: $(STAMP)
	$(VENV)/bin/stance score $(SEED)

test: $(STAMP) browser
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/score_speed.py
