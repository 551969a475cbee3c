"""Benchmark: stance's batched scoring path against a naive per-claim Hugging Face pipeline loop.

Both score the same claims (every claim extracted from the shipped articles)
with the same encoder weights, in one run, on this machine. Also times
fine-tuning on 500 claims for 3 epochs. Prints a JSON summary; speed is a
benchmark, never a test.

    python bench/score_speed.py [--model DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import torch


def claims_of_shipped_articles():
    from stance.pipeline import extract_documents
    from stance.reader import read_document
    from stance.training.data import DATA_DIR

    docs = [read_document(p) for p in sorted((DATA_DIR / "articles").glob("*.txt"))]
    return [c for _, claims in extract_documents(docs) for c in claims]


def naive_pipeline(classifier):
    """A text-classification pipeline over a sequence classifier with the same encoder weights."""
    from transformers import AutoModelForSequenceClassification, pipeline

    network = classifier.model_
    model = AutoModelForSequenceClassification.from_config(network.config.encoder, num_labels=3)
    model.base_model.load_state_dict(network.encoder.state_dict())
    return pipeline("text-classification", model=model.eval(), tokenizer=classifier.tokenizer_, device=-1,
                    top_k=None)


def time_it(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="default", help="model folder (default: the default model)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--train-claims", type=int, default=500)
    args = parser.parse_args()

    from stance.classifier import StanceClassifier, TrainingArguments
    from stance.modeling.inputs import encode, model_inputs
    from stance.models import load_model
    from stance.training.data import DATA_DIR, load_training_data

    model = load_model(args.model, progress=False)
    claims = claims_of_shipped_articles()
    first, second, _ = model_inputs(claims)
    tokens = sum(len(ids) for ids in encode(model.tokenizer_, model.model_.config, claims)["input_ids"])
    pipe = naive_pipeline(model)
    pipe({"text": first[0], "text_pair": second[0]})  # warm up both paths
    model.predict_proba(claims[:8])

    def naive():
        for a, b in zip(first, second):
            pipe({"text": a, "text_pair": b}, truncation="only_second", max_length=model.model_.config.max_tokens)

    naive_s = time_it(naive, args.repeat)
    batched_s = time_it(lambda: model.predict_proba(claims), args.repeat)

    train = load_training_data([DATA_DIR / "claims"], model.dispute_)[: args.train_claims]
    targs = TrainingArguments(method="finetune", epochs=3, patience=99)
    start = time.perf_counter()
    StanceClassifier(model.dispute_, targs).fit(train, dev=[], progress=False, log=lambda m: None)
    train_s = time.perf_counter() - start

    print(json.dumps({
        "machine": f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch threads",
        "claims_scored": len(claims),
        "mean_tokens_per_claim": round(tokens / len(claims), 1),
        "naive_pipeline_loop_s": round(naive_s, 2),
        "naive_claims_per_s": round(len(claims) / naive_s, 1),
        "batched_s": round(batched_s, 2),
        "batched_claims_per_s": round(len(claims) / batched_s, 1),
        "speedup": round(naive_s / batched_s, 2),
        "train_claims": len(train),
        "train_epochs": 3,
        "train_s": round(train_s, 1),
        "train_examples_per_s": round(len(train) * 3 / train_s, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
