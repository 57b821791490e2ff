# The two set-up commands of the README:
#   make build   install zhitu into .venv and build the graph of seeds/ into output/
#   make test    install zhitu with its test tools into .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: build test install install-test system-packages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# an editable install leaves our modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set every
# command would compile them again (~0.1 s a process): compile them once, as pip does for a regular install
COMPILE := $(BIN)/python -m compileall -q zhitu extract graph ontology

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(COMPILE)

install-test: $(BIN)/python system-packages
	$(BIN)/pip install --quiet -e '.[test]'
	$(COMPILE)

# Chromium, a CJK font and Virtuoso for the tests that drive them (skipped where absent)
system-packages:
	./scripts/install-system-packages

build: install
	$(BIN)/zhitu build seeds --out output

test: install-test
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) output/graph.* output/neo4j build extract/kernels.c extract/kernels.*.so
