# The two commands of the README's quick start. Both set up ./.venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup clean

$(BIN)/sdcrawl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/sdcrawl

# The main job, offline: every site of the registry crawled from its recorded copy on loopback.
demo: setup
	$(BIN)/sdcrawl demo

# The whole test suite.
test: setup
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) data/demo
