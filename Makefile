# The two commands of the README's Quick start:
#
#   make tour    system packages (if they can be installed), the package in .venv, then the tour
#   make test    the same, plus the test tools, then the whole test suite
#
# Both can be run again at any time: each step only does what is missing.
# Everything Python goes into the local virtual environment .venv (delete it to
# start over); system packages go through apt-get when you are root or can sudo
# (scripts/system_packages.sh), otherwise you are told in one line what to install.

PYTHON ?= python3
export PYTHON
VENV := .venv
BIN := $(VENV)/bin

.PHONY: tour test system-packages

tour: system-packages $(VENV)/.installed
	$(BIN)/python -m tinygrad_ko

test: system-packages $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

system-packages:
	@sh scripts/system_packages.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The stamps are newer than pyproject.toml once its packages are installed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@ $(VENV)/.installed
