# The README's two commands: `make video` and `make test`. Both set everything up first.
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: setup video test quick bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $(STAMP)

video: setup
	$(VENV)/bin/backprop-video

test: setup   # everything, on every core (pytest-xdist): about 10 minutes on 2 cores
	$(VENV)/bin/python -m pytest -n auto --dist loadgroup

quick: setup   # engine, config, CLI logic, scene dry runs: no real renders, on every core
	$(VENV)/bin/python -m pytest -m "not slow" -n auto --dist loadgroup

bench: setup
	$(VENV)/bin/python bench/bench_engine.py

clean:
	rm -rf $(VENV) media/*
