# grouplab — `make demo` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.grouplab-installed

.PHONY: demo test notebooks bench lint clean-venv

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name grouplab --display-name "Python (grouplab)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m grouplab.cli demo

test: $(STAMP)
	$(PY) -m pytest

notebooks: $(STAMP)
	$(PY) -m grouplab.cli refresh-notebooks notebooks

bench: $(STAMP)
	$(PY) bench/run.py

lint: $(STAMP)
	$(PY) -m ruff check lib tests notebooks

clean-venv:
	rm -rf $(VENV)
