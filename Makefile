# The two commands of the README's quick start. Both set up ./.venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup system clean

$(BIN)/sdcrawl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/sdcrawl

# Debian packages the tests use (Chromium): installed when missing and we may, else one line saying how.
system:
	bash scripts/system-deps.sh

# The main job, offline: every site of the registry crawled from its recorded copy on loopback.
demo: setup
	$(BIN)/sdcrawl demo

# The whole test suite.
test: setup system
	$(BIN)/pytest -q

# Removes the virtualenv only; data folders are the operator's (`sdcrawl demo` cleans its own).
clean:
	rm -rf $(VENV)
