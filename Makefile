# The two set-up commands of the README:
#   make build   install zhitu into .venv and build the graph of seeds/ into output/
#   make test    install zhitu with its test tools into .venv and run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: build test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

build: install
	$(BIN)/zhitu build seeds --out output

test: install-test
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) output/graph.* output/neo4j
