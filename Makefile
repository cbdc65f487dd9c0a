# The two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint gate bench reader clean

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

## Every benchmark, one after another (about two hours on 2 cores); each prints a table
## and writes JSON to bench/results/. Run on a quiet machine: nothing else competing.
bench: setup
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/scale.py --chunks 100000
	$(BIN)/python bench/scale.py --chunks 100000 --server --json bench/results/scale-server.json
	$(BIN)/python bench/runtimes.py
	$(BIN)/python bench/reader_variants.py
	$(BIN)/python bench/load.py --sessions 50 --questions 500 --concurrent-answers 1 4

## Retrain the reader from ../shared/devsets (about 50 minutes on one core), then
## recalibrate the file just written (before its new SHA-256 is pinned); both rewrite
## qa/answer/model/ and its MODEL_CARD.md.
reader: setup
	$(BIN)/python -m qa.training
	$(BIN)/python -m qa.training.calibrate --reader qa/answer/model/reader.safetensors

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
