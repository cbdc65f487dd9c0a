# The two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint gate clean

setup:
	@bash scripts/setup.sh

## Set everything up, index the seed articles (a no-op once done) and open the chat.
run: setup
	$(BIN)/ragqa ingest seeds
	$(BIN)/ragqa chat

## Set everything up, lint, gate on the seeds eval baseline, run the whole test suite.
test: setup lint gate
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

gate: setup
	$(BIN)/python -m eval --baseline eval/baselines/seeds.json --quiet

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
