# grouplab — `make demo` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.grouplab-installed

.PHONY: demo test check notebooks bench lint clean-venv screenshots lab-screenshots docs

# the docs extra too: tests/docs checks the site's sources with its Sphinx extensions
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	$(PY) -m ipykernel install --sys-prefix --name grouplab --display-name "Python (grouplab)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m grouplab.cli demo

# everything, as CI: library and tests on two workers, a file on one worker (conftest.py: slow files
# first, the demo batch made once and shared), and beside them nbval on the notebooks in a plain pytest
# (each notebook keeps one kernel for its cells; under xdist a worker tore it down between two cells).
# Its report is printed after the tests'; either run failing fails `make test`.
XDIST := -n 2 --dist loadfile --no-loadscope-reorder
test: $(STAMP)
	@log=$$(mktemp); \
	$(PY) -m pytest notebooks -p no:cacheprovider >$$log 2>&1 & nb=$$!; \
	$(PY) -m pytest lib tests $(XDIST) --durations=15; rc=$$?; \
	wait $$nb; nbrc=$$?; echo "---------- notebooks (nbval, run beside the tests): exit $$nbrc"; \
	cat $$log; rm -f $$log; test $$rc -eq 0 -a $$nbrc -eq 0

# the everyday loop: unit tests and doctests, no notebooks and no report batches (`slow`)
check: $(STAMP)
	$(PY) -m pytest lib tests -m "not slow" -q $(XDIST)

notebooks: $(STAMP)
	$(PY) -m grouplab.cli refresh-notebooks notebooks

bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(PY) -m ruff check lib tests notebooks docs

# The documentation site (docs/README.md): Chinese and English, built offline into docs/_build/ with
# warnings as errors, then checked (every public name has a page, every guide page exists in both
# languages, every internal link resolves). English first: the Chinese site links to its API pages.
# The venv of `make test` has the docs extra already (no second install).
SPHINX := $(PY) -m sphinx -b html -W --keep-going -q

docs: $(STAMP)
	rm -rf docs/_build
	$(SPHINX) -d docs/_build/.doctrees/en docs/en docs/_build/en
	$(SPHINX) -d docs/_build/.doctrees/zh docs/zh docs/_build/zh
	$(PY) docs/check_site.py docs/_build
	@echo "site: docs/_build/index.html"

clean-venv:
	rm -rf $(VENV)

# Screenshots of the demo batch as readers see it (outside CI): index, overview and one report of
# each kind in zh and en, plus the first pages of one Word document. Needs Chromium, CJK fonts,
# LibreOffice and poppler: `apt-get install chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils`.
SHOTS    := reports/screenshots
CHROMIUM ?= chromium
CHROME_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars
SHOT_REPORTS := 01_data_quality/lang=@ 02_group_scorecard/unit_id=WA01_year=2019_lang=@ \
	03_measures_and_outcomes/outcome=violation_lag_months=1_lang=@ \
	04_survey_report/unit_id=WA01_wave=2019_lang=@ 05_benchmarking/station_id=S1_year=2011_lang=@ \
	06_survey_study/wave=2019_lang=@ 07_org_life/unit_id=WA01_period=2019_lang=@

screenshots: $(STAMP)
	@command -v $(CHROMIUM) >/dev/null || { echo "install chromium first (see the Makefile)"; exit 1; }
	mkdir -p $(SHOTS)
	for lang in zh en; do \
	  $(PY) -m grouplab.cli batch data/demo/reports.yml --lang $$lang --out $(SHOTS)/batch-$$lang --quiet || true; \
	  for page in index overview; do \
	    $(CHROMIUM) $(CHROME_FLAGS) --user-data-dir=$$(mktemp -d) --window-size=1280,1000 \
	      --screenshot=$(CURDIR)/$(SHOTS)/$$page-$$lang.png file://$(CURDIR)/$(SHOTS)/batch-$$lang/$$page.html; \
	  done; \
	  for r in $(SHOT_REPORTS); do \
	    slug=$$(echo $$r | sed "s/@/$$lang/"); name=$$(dirname $$slug)-$$lang; \
	    $(CHROMIUM) $(CHROME_FLAGS) --user-data-dir=$$(mktemp -d) --window-size=1100,2200 \
	      --screenshot=$(CURDIR)/$(SHOTS)/$$name.png file://$(CURDIR)/$(SHOTS)/batch-$$lang/$$slug.html; \
	  done; \
	  docx=$(SHOTS)/batch-$$lang/02_group_scorecard/unit_id=WA01_year=2019_lang=$$lang.docx; \
	  soffice --headless --convert-to pdf --outdir $(SHOTS) $$docx >/dev/null && \
	    pdftoppm -png -r 70 -f 1 -l 3 $(SHOTS)/unit_id=WA01_year=2019_lang=$$lang.pdf $(SHOTS)/docx-02-$$lang; \
	done
	@echo "screenshots in $(SHOTS)/"

# Screenshots of the Jupyter displays (Dataset, DataError, model results, notebook 00) in a real
# JupyterLab started on 127.0.0.1 and stopped after (outside CI; needs chromium and fonts-noto-cjk).
lab-screenshots: $(STAMP)
	$(PY) bench/screenshots_jupyterlab.py --out $(SHOTS)/jupyterlab
