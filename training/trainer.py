"""Fine-tuning: the loop, early stopping on dev macro-F1, checkpoints that resume.

Works on the modeling layer (a ``StanceModel`` and its tokenizer); the
scikit-learn estimator (``stance.classifier``) builds the model and calls
``train``. Same data and same seed give the same model: the caller seeds
torch's generator before the heads are drawn (inside a forked random state,
so the caller's own is untouched), batches are drawn from a seeded generator
per epoch, and a checkpoint keeps the random state so a resumed run
continues where the killed one stopped.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import torch
from sklearn.metrics import accuracy_score, f1_score
from transformers import get_linear_schedule_with_warmup

from stance.dispute import Dispute
from stance.modeling.config import TASKS
from stance.modeling.encoders import default_encoder
from stance.modeling.inputs import collate, encode
from stance.modeling.network import LOGITS, StanceModel
from stance.modeling.predict import predict_labels
from stance.records import Claim

from .arguments import TrainingArguments
from .data import data_hash, split_by_document
from .fewshot import fit_fewshot

CHECKPOINT = "checkpoint"


def checkpoint_path(output_dir: str | os.PathLike) -> Path:
    """Where a fine-tuning run into ``output_dir`` keeps its checkpoint (beside the model folder)."""
    return Path(output_dir).with_name(Path(output_dir).name + "." + CHECKPOINT)


def choose_method(args: TrainingArguments, n_claims: int) -> tuple[str, str]:
    method = args.method
    if method != "auto":
        return method, "as asked"
    if n_claims < args.fewshot_max_claims:
        return "fewshot", f"{n_claims} claims < {args.fewshot_max_claims}: frozen encoder + logistic heads"
    return "finetune", f"{n_claims} claims >= {args.fewshot_max_claims}: full fine-tuning"


def evaluate(model: StanceModel, tokenizer, claims: Sequence[Claim]) -> dict[str, float]:
    """Dev accuracy and macro-F1 per task (over the labels of the dispute)."""
    pred = predict_labels(model, tokenizer, claims)
    out = {}
    for t in TASKS:
        gold = [getattr(c, t) for c in claims]
        out[f"{t}_accuracy"] = float(accuracy_score(gold, pred[t]))
        present = sorted(set(gold) | set(pred[t]))
        out[f"{t}_macro_f1"] = float(f1_score(gold, pred[t], labels=present, average="macro", zero_division=0))
    return out


def train(
    model: StanceModel,
    tokenizer,
    claims: list[Claim],
    dev: Optional[list[Claim]],
    args: TrainingArguments,
    dispute: Dispute,
    *,
    output_dir: str | os.PathLike | None = None,
    resume: bool = False,
    progress: bool = True,
    log: Callable[[str], None] = print,
    method_reason: Optional[str] = None,
    init: str | os.PathLike | None = None,
) -> dict:
    """Train ``model`` in place; return the training summary. With ``output_dir``, checkpoint every epoch.

    ``method_reason`` replaces "as asked" in the log when the method was set
    by a recipe rather than by the user (the default model's). ``init``: the
    saved stance model ``model`` was loaded from, to be adapted rather than
    trained from the base encoder; ``auto`` then fine-tunes (the few-shot
    method would throw the heads away) and the summary records it.
    """
    method, why = choose_method(args, len(claims))
    if init and args.method == "auto":
        method, why = "finetune", f"continuing from {init}"
    why = method_reason if method_reason and args.method != "auto" else why
    log(f"method: {method} ({why})")
    if dev is None:
        claims, dev = split_by_document(claims, args.dev_fraction, args.seed)
    started = time.perf_counter()
    if method == "fewshot":
        if resume:
            log("nothing to resume: the few-shot method keeps no checkpoint; fitting from the start")
        fit_fewshot(model, tokenizer, claims, args)
        history = [{"epoch": 1, **(evaluate(model, tokenizer, dev) if dev else {})}]
    elif method == "finetune":
        ckpt = checkpoint_path(output_dir) if output_dir else None
        history = _finetune(model, tokenizer, claims, dev, args, ckpt, resume, progress, log)
    else:
        raise ValueError(f"unknown method {method!r} (auto, finetune or fewshot)")
    seconds = time.perf_counter() - started
    return {
        "method": method,
        "method_reason": why,
        "train_claims": len(claims),
        "dev_claims": len(dev),
        "train_documents": len({c.doc_id for c in claims}),
        "dev_documents": len({c.doc_id for c in dev}),
        "data_hash": data_hash(claims),
        "dev_hash": data_hash(dev),
        "dispute": dispute.name,
        "dispute_fingerprint": dispute.fingerprint,
        "arguments": asdict(args),
        "base_model": args.base_model or default_encoder(),
        **({"init": str(init)} if init else {}),
        "epochs": history,
        "seconds": round(seconds, 1),
        "examples_per_second": round(len(claims) * max(1, len(history)) / max(seconds, 1e-9), 1),
    }


def _class_weights(labels: list[str], gold: list[str]) -> torch.Tensor:
    """Inverse-frequency weights; a label absent from training keeps weight 1."""
    counts = np.array([gold.count(label) for label in labels], dtype=np.float64)
    present = counts > 0
    weights = np.ones(len(labels))
    weights[present] = counts[present].sum() / (present.sum() * counts[present])
    return torch.tensor(weights, dtype=torch.float32)


def _finetune(model, tokenizer, claims, dev, args, ckpt, resume, progress, log) -> list[dict]:
    labels = model.config.task_labels
    n = len(claims)
    # Each claim twice: with its group in the input (rows 0..n-1), and with the group
    # hidden (rows n..2n-1); every epoch draws which one each claim is trained on.
    shown = encode(tokenizer, model.config, claims, [c.speaker_group for c in claims])
    hidden = encode(tokenizer, model.config, claims)
    encoded = {k: shown[k] + hidden[k] for k in shown}
    lengths = [len(ids) for ids in shown["input_ids"]]
    device = model.device  # the caller places the model (CPU unless it moved it to a GPU)
    targets = {t: torch.tensor([labels[t].index(getattr(c, t)) for c in claims] * 2, device=device) for t in TASKS}
    weights = {t: (_class_weights(labels[t], [getattr(c, t) for c in claims]) if args.class_weights
                   else torch.ones(len(labels[t]))).to(device) for t in TASKS}
    losses = {t: torch.nn.CrossEntropyLoss(weight=weights[t], reduction="none") for t in TASKS}
    task_weight = {"stance": 1.0, "speaker_group": args.group_loss_weight}
    steps_per_epoch = math.ceil(len(claims) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warmup = int(total * args.warmup_ratio)
    optimizer = torch.optim.AdamW(
        [{"params": model.encoder.parameters(), "lr": args.learning_rate},
         {"params": model.heads.parameters(), "lr": args.head_learning_rate}],
        weight_decay=args.weight_decay,
    )
    scheduler = get_linear_schedule_with_warmup(optimizer, warmup, total)
    state = {"epoch": 0, "history": [], "best": None, "best_epoch": 0, "bad_epochs": 0}
    if resume and ckpt and (ckpt / "state.json").exists():
        state = _load_checkpoint(ckpt, model, optimizer, scheduler)
        log(f"resuming from {ckpt} after epoch {state['epoch']}")
    elif resume:
        log(f"nothing to resume: no checkpoint at {ckpt}; training from the start" if ckpt
            else "nothing to resume without an output folder; training from the start")
    best_weights = _load_best(ckpt) if state["best"] is not None and ckpt else None
    bar = _progress(total, state["epoch"] * steps_per_epoch, progress)
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        model.train()
        running = 0.0
        hide = _hidden_groups(n, args.group_mask_rate, args.seed * 1000 + epoch)
        for step, batch in enumerate(_batches(lengths, args.batch_size, args.seed * 1000 + epoch), 1):
            idx = [i + n if hide[i] else i for i in batch]
            out = model(**{k: v.to(device) for k, v in collate(tokenizer, encoded, idx).items()})
            logits = {t: out[LOGITS[t]] for t in TASKS}
            # The group head learns only where the input does not show the answer.
            on = {"stance": torch.ones(len(idx), device=device),
                  "speaker_group": torch.tensor([float(hide[i]) for i in batch], device=device)}
            loss = sum(task_weight[t] * _masked_mean(losses[t](logits[t], targets[t][idx]),
                                                     weights[t][targets[t][idx]] * on[t]) for t in TASKS)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            running += loss.item()
            bar.update(1)
            bar.set_postfix(epoch=epoch, loss=f"{running / step:.3f}", dev_f1=state.get("last_f1", "-"))
        record = {"epoch": epoch, "train_loss": round(running / steps_per_epoch, 4)}
        if dev:
            record.update({k: round(v, 4) for k, v in evaluate(model, tokenizer, dev).items()})
            score = (record["stance_macro_f1"], record["speaker_group_macro_f1"])
            state["last_f1"] = f"{record['stance_macro_f1']:.3f}"
            if state["best"] is None or score > tuple(state["best"]):
                state.update(best=list(score), best_epoch=epoch, bad_epochs=0)
                best_weights = {k: v.detach().clone() for k, v in model.state_dict().items()}
            else:
                state["bad_epochs"] += 1
        state["history"].append(record)
        state["epoch"] = epoch
        if ckpt:
            _save_checkpoint(ckpt, model, optimizer, scheduler, state, best_weights)
        if dev and state["bad_epochs"] >= args.patience:
            log(f"early stop after epoch {epoch}: best dev stance macro-F1 {state['best'][0]:.3f} at epoch {state['best_epoch']}")
            break
    bar.close()
    if best_weights is not None:
        model.load_state_dict(best_weights)
    for record in state["history"]:
        record["best"] = record["epoch"] == state["best_epoch"]
    return state["history"]


def _hidden_groups(n: int, rate: float, seed: int) -> list[bool]:
    """Which claims train with their group hidden this epoch (seeded, so runs repeat)."""
    generator = torch.Generator().manual_seed(seed + 7)
    return (torch.rand(n, generator=generator) < rate).tolist()


def _masked_mean(losses: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Weighted mean of per-example losses (CrossEntropyLoss's "mean" when all weights count)."""
    return (losses * (weights > 0)).sum() / weights.sum().clamp(min=1e-9) if weights.sum() > 0 else losses.sum() * 0


def _batches(lengths: list[int], size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar lengths: less padding, same randomness for the same seed.

    Indices are shuffled, cut into pools of 8 batches, sorted by length inside
    each pool, batched, and the batches shuffled again.
    """
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(lengths), generator=generator).tolist()
    pool = size * 8
    batches = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p:p + pool], key=lambda i: lengths[i])
        batches += [chunk[b:b + size] for b in range(0, len(chunk), size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def _progress(total: int, initial: int, enabled: bool):
    """A bar with loss and dev macro-F1, on a terminal only (logs and CI stay clean)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, disable=not enabled or not sys.stderr.isatty(),
                desc="training", unit="batch", leave=False)


def _save_checkpoint(path: Path, model, optimizer, scheduler, state, best_weights) -> None:
    """Everything a resumed run needs, written to a temporary folder and renamed."""
    from safetensors.torch import save_file

    tmp = path.with_name(path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(tmp / "model.safetensors"))
    if best_weights is not None:
        save_file({k: v.contiguous() for k, v in best_weights.items()}, str(tmp / "best.safetensors"))
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state()}, tmp / "optimizer.pt")
    (tmp / "state.json").write_text(json.dumps(state, indent=2))
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)


def _load_checkpoint(path: Path, model, optimizer, scheduler) -> dict:
    from safetensors.torch import load_file

    model.load_state_dict(load_file(str(path / "model.safetensors")))
    extra = torch.load(path / "optimizer.pt", weights_only=False)
    optimizer.load_state_dict(extra["optimizer"])
    scheduler.load_state_dict(extra["scheduler"])
    torch.set_rng_state(extra["torch_rng"])  # dropout's generator: the caller forked it for this run
    return json.loads((path / "state.json").read_text())


def _load_best(path: Path):
    from safetensors.torch import load_file

    best = path / "best.safetensors"
    return load_file(str(best)) if best.exists() else None
