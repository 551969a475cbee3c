"""Benchmark: what the default encoder (all-mpnet-base-v2) costs against all-MiniLM-L6-v2.

Both packaged encoders, in one run, on this machine: fine-tuning throughput (the default
recipe's fine-tuning on the first N training claims, one epoch) and scoring throughput
(``predict_proba`` on the same claims). Prints a JSON summary with the ratios; speed is a
benchmark, never a test.

    python bench/encoder_speed.py [--claims 256]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from dataclasses import replace

import torch


def main() -> None:
    from stance.classifier import StanceClassifier
    from stance.dispute import load_dispute
    from stance.modeling.encoders import MINILM, MPNET
    from stance.models import DEFAULT_ARGS
    from stance.training.data import DATA_DIR, load_training_data

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=256, help="training claims timed (default: 256)")
    args = parser.parse_args()
    dispute = load_dispute()
    claims = load_training_data([DATA_DIR / "claims"], dispute)[: args.claims]
    result = {"machine": platform.machine(), "threads": torch.get_num_threads(), "claims": len(claims), "encoders": {}}
    for name in (MINILM, MPNET):
        model = StanceClassifier(dispute, replace(DEFAULT_ARGS, base_model=name, epochs=1))
        started = time.perf_counter()
        model.fit(claims, progress=False, log=lambda m: None)
        trained = time.perf_counter() - started
        started = time.perf_counter()
        model.predict_proba(claims)
        scored = time.perf_counter() - started
        params = sum(p.numel() for p in model.model_.encoder.parameters())
        result["encoders"][name] = {"parameters": params, "train_claims_per_s": round(len(claims) / trained, 2),
                                    "score_claims_per_s": round(len(claims) / scored, 2)}
    fast, slow = result["encoders"][MINILM], result["encoders"][MPNET]
    result["mpnet_slower_train"] = round(fast["train_claims_per_s"] / slow["train_claims_per_s"], 2)
    result["mpnet_slower_score"] = round(fast["score_claims_per_s"] / slow["score_claims_per_s"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
