# The two commands of the README: `make chat` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make test-rasa`: a real Rasa 3.6 in front of `medbot rasa-actions` (minutes; not in `make
# test`). Rasa needs Python 3.10: its own virtualenv, cached with the trained example outside
# the repository.
RASA_VERSION := 3.6.21
RASA_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10.*/bin/python) $(shell command -v python3.10 2>/dev/null))
RASA_CACHE ?= $(HOME)/.cache/medbot-rasa
RASA_VENV := $(RASA_CACHE)/venv-$(RASA_VERSION)

.PHONY: chat test test-rasa install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

chat: $(STAMP)
	$(BIN)/medbot documents dev-key
	$(BIN)/medbot db init --demo --if-missing
	$(BIN)/medbot chat

test: $(STAMP)
	$(BIN)/python -m pytest

$(RASA_VENV)/.installed:
	@test -n "$(RASA_PYTHON)" || { echo "Rasa $(RASA_VERSION) needs Python 3.10: set RASA_PYTHON"; exit 1; }
	$(RASA_PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet rasa==$(RASA_VERSION)
	touch $@

test-rasa: $(STAMP) $(RASA_VENV)/.installed
	MEDBOT_RASA_VENV=$(RASA_VENV) MEDBOT_RASA_CACHE=$(RASA_CACHE) \
		$(BIN)/python -m pytest tests/bot/rasa/test_real_rasa.py -s -v -p no:cacheprovider

clean:
	rm -rf $(VENV) var
