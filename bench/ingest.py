"""Ingest speed: ``ragqa ingest`` against the plain llama-index recipe, same corpus, one run.

    .venv/bin/python bench/ingest.py [--copies 3] [--json bench/results/ingest.json]

The plain recipe is what a user would otherwise write: ``SimpleDirectoryReader`` →
``VectorStoreIndex.from_documents`` over a ``ChromaVectorStore``, with the same MiniLM
(llama-index's ``HuggingFaceEmbedding``, sentence-transformers on torch) and the same
chunking (``SentenceSplitter``, 160 tokens with 32 overlapping). ragqa is timed through
``Assistant.ingest`` (what ``ragqa ingest`` runs) on its default onnxruntime embedder
and on torch, so the runtime's share of the difference shows. Models are loaded before
the clock starts; every run writes a fresh Chroma store on disk.

Corpora: squad_dev15's 15 articles, and a scaled one: the 25 squad_dev15 and
squad_train10 articles, each written ``--copies`` times with a copy number in its first
line (so no copy is skipped as a duplicate and every chunk is embedded).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.vector_stores.chroma import ChromaVectorStore

from index import Embedder
from qa import Assistant, Settings

REPO = Path(__file__).resolve().parent.parent
DEVSETS = REPO.parent / "shared" / "devsets"
DEV = DEVSETS / "squad_dev15" / "articles"


def _scaled_corpus(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True)
    for source in sorted(
        [*DEV.glob("*.txt"), *(DEVSETS / "squad_train10" / "articles").glob("*.txt")]
    ):
        text = source.read_text("utf-8")
        title, _, body = text.partition("\n")
        for copy in range(copies):
            (folder / f"{source.stem}-{copy}.txt").write_text(
                f"{title} (copy {copy})\n{body}", "utf-8"
            )
    return folder


def _plain_llama_index(
    corpus: Path,
    store: Path,
    embed_model: HuggingFaceEmbedding,
    tokenizer: Callable[[str], list[int]],
) -> int:
    client = chromadb.PersistentClient(
        path=str(store), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection("plain")
    documents = SimpleDirectoryReader(str(corpus)).load_data()
    VectorStoreIndex.from_documents(
        documents,
        storage_context=StorageContext.from_defaults(
            vector_store=ChromaVectorStore(chroma_collection=collection)
        ),
        embed_model=embed_model,
        # MiniLM's own tokens measure chunks, as in ragqa (the default tiktoken
        # tokenizer would also fetch its vocabulary from the internet).
        transformations=[SentenceSplitter(chunk_size=160, chunk_overlap=32, tokenizer=tokenizer)],
    )
    return collection.count()


def _ragqa(corpus: Path, home: Path, embedder: Embedder, model_cache: Path) -> int:
    settings = Settings(home=home, llm="none", model_cache=model_cache)
    assistant = Assistant(settings, embedder=embedder)
    assistant.ingest([corpus])
    return assistant.store.chunk_total()


def _timed(articles: int, run: Callable[..., int], *args: Any) -> dict[str, Any]:
    started = time.perf_counter()
    chunks = run(*args)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "chunks": chunks,
        "articles_per_s": round(articles / seconds, 2),
        "chunks_per_s": round(chunks / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "ingest.json")
    args = parser.parse_args()
    results: dict[str, Any] = {"cores": os.cpu_count(), "date": date.today().isoformat()}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        cache = root / "model-cache"
        embedders = {
            runtime: Embedder.bundled(stamp_dir=root / "stamps", runtime=runtime, export_dir=cache)
            for runtime in ("onnxruntime", "torch")
        }
        plain_model = HuggingFaceEmbedding(
            model_name=str(embedders["torch"].model_dir), device="cpu", embed_batch_size=32
        )
        corpora = {"squad_dev15": DEV, "scaled": _scaled_corpus(root / "scaled", args.copies)}
        for name, corpus in corpora.items():
            articles = len(list(corpus.glob("*.txt")))
            row: dict[str, Any] = {"articles": articles}
            row["plain_llama_index"] = _timed(
                articles,
                _plain_llama_index,
                corpus,
                root / f"plain-{name}",
                plain_model,
                embedders["torch"].token_counter,
            )
            for runtime, embedder in embedders.items():
                row[f"ragqa_{runtime}"] = _timed(
                    articles, _ragqa, corpus, root / f"{runtime}-{name}", embedder, cache
                )
            plain = row["plain_llama_index"]["chunks_per_s"]
            for runtime in embedders:
                row[f"ragqa_{runtime}"]["speedup"] = round(
                    row[f"ragqa_{runtime}"]["chunks_per_s"] / plain, 2
                )
            results[name] = row
            print(f"{name}: {articles} articles")
            for path in ("plain_llama_index", "ragqa_onnxruntime", "ragqa_torch"):
                r = row[path]
                extra = f"   {r['speedup']}x plain" if "speedup" in r else ""
                print(
                    f"  {path:20s} {r['seconds']:7.1f} s  {r['chunks']:6d} chunks  "
                    f"{r['articles_per_s']:6.2f} articles/s  "
                    f"{r['chunks_per_s']:6.1f} chunks/s{extra}"
                )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
