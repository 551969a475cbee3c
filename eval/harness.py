"""Run candidates over a gold set, then score them: the engine behind ``stance eval``.

``predict`` gets each candidate's probabilities for the gold claims, and for
the claims extracted from the raw articles (end to end), fitting candidates
that learn on ``--train`` or per fold of documents. ``score`` turns them into
the metrics.json dict (schema in eval/README.md). Scoring never calls a
model, so what the report costs is apart from inference.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from stance.dispute import Dispute
from stance.errors import InputError
from stance.records import KINDS, Claim
from stance.training import data as training_data

from . import TASKS
from .baselines import BASELINES
from .calibration import fit_temperature, reliability, scale
from .matching import match_claims
from .metrics import MISSED, bootstrap, confusions, detection, scores, summary

SCHEMA_VERSION = 1
ARTICLE_SUFFIXES = (".txt", ".html")


@dataclass
class EvalArguments:
    """How to evaluate; the defaults are the CLI's."""

    cv: int | None = None  # folds by document: candidates that learn are fitted on K-1 of them
    folds_without_train: int = 5  # folds for candidates that learn when there is neither --cv nor --train
    n_bootstrap: int = 1000
    confidence: float = 0.95
    seed: int = 0
    n_bins: int = 10


@dataclass
class Candidate:
    """A model to evaluate: ``model`` predicts as it is; ``make`` builds a fresh one to fit."""

    name: str
    model: Any = None
    make: Callable[[], Any] | None = None
    baseline: bool = False


@dataclass
class Predictions:
    """One candidate's probabilities, columns in the dispute's label order."""

    name: str
    baseline: bool
    how: str  # how it was fitted: "as given", "fitted on N training claims", "K-fold cross-validation ..."
    probs: dict[str, np.ndarray]  # task -> (n_gold, n_labels)
    extracted: dict[str, np.ndarray]  # task -> (n_extracted, n_labels), end to end
    scaled: dict[str, np.ndarray] | None = None  # gold probabilities after temperature scaling (--dev)
    temperature: dict[str, float] | None = None  # mean over the fitted copies
    fold: np.ndarray | None = None  # fold of each gold claim, when fitted per fold


@dataclass
class EndToEnd:
    """Claims the extractor found in the raw articles, and which gold claim each matched."""

    claims: list[Claim]
    pairs: list[tuple[int, int]]  # (gold index, extracted index)


@dataclass
class Evaluation:
    gold: list[Claim]
    labels: dict[str, list[str]]
    predictions: list[Predictions]
    end_to_end: EndToEnd | None
    metrics: dict = field(default_factory=dict)


def baseline_candidates(dispute: Dispute, names: list[str] | None = None) -> list[Candidate]:
    """The baselines by name (all by default); those that learn are fitted like any fresh model."""
    out = []
    for name in names if names is not None else list(BASELINES):
        cls = BASELINES[name]
        if cls.learns:
            out.append(Candidate(name, make=lambda cls=cls: cls(dispute), baseline=True))
        else:
            out.append(Candidate(name, model=cls(dispute), baseline=True))
    return out


def find_articles(doc_ids: list[str], folder: str | Path) -> dict[str, Path]:
    """``<doc_id>.txt`` or ``.html`` for every doc_id; a missing one is an ``InputError`` naming it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder of articles", folder)
    found, missing = {}, []
    for doc_id in dict.fromkeys(doc_ids):
        path = next((folder / (doc_id + s) for s in ARTICLE_SUFFIXES if (folder / (doc_id + s)).is_file()), None)
        if path is None:
            missing.append(doc_id)
        else:
            found[doc_id] = path
    if missing:
        more = f" (and {len(missing) - 1} more doc_ids)" if len(missing) > 1 else ""
        raise InputError(f"no article for doc_id {missing[0]!r}{more}: expected {missing[0]}.txt or "
                         f"{missing[0]}.html", folder)
    return found


def extract_end_to_end(gold: list[Claim], articles: dict[str, Path], dispute: Dispute) -> EndToEnd:
    """Run the extractor over each gold document's article and match its claims to the gold."""
    import stance

    documents = [stance.read_document(path) for path in articles.values()]
    claims = []
    for doc_id, (_, found) in zip(articles, stance.extract_documents(documents, dispute=dispute)):
        claims += [dataclasses.replace(c, id=f"{doc_id}-pred-{n}", doc_id=doc_id) for n, c in enumerate(found, 1)]
    return EndToEnd(claims, match_claims(gold, claims))


def given_claims(gold: list[Claim], articles: dict[str, Path] | None, dispute: Dispute) -> list[Claim]:
    """What a model is given of gold claims: sentence, claim, speaker mention and the article.

    The annotated ``speaker_resolved``, ``speaker_group`` and ``stance`` are labels, so they
    are dropped; who the mention is comes from the speakers stage, run on the article.
    """
    import stance
    from stance.given import resolve, without_labels

    documents = {doc_id: stance.read_document(path) for doc_id, path in (articles or {}).items()}
    return resolve([without_labels(c) for c in gold], dispute, documents)


class GoldResolution:
    """A model given the annotated ``speaker_resolved`` too: the report's second, labelled line.

    It shows what knowing who speaks is worth; its group still comes from knowledge
    about that name, else from the model.
    """

    def __init__(self, model: Any, gold: list[Claim], dispute: Dispute):
        from stance.given import from_mention

        self.model, self.labels = model, model.labels
        self._by_id = {c.id: from_mention(dataclasses.replace(c, speaker=c.speaker_resolved or c.speaker), dispute)
                       for c in gold}

    def predict_proba(self, claims: list[Claim]):
        """The claims (their speaker mention kept) with the annotated name and what knowledge makes of it."""
        swapped = []
        for c in claims:
            known = self._by_id.get(c.id)
            swapped.append(c if known is None else dataclasses.replace(
                c, speaker_resolved=known.speaker, speaker_group=known.speaker_group,
                speaker_group_source=known.speaker_group_source))
        return self.model.predict_proba(swapped)


def document_folds(gold: list[Claim], k: int, seed: int = 0) -> dict[str, int]:
    """Fold of each document (``stance.training.data.document_folds``), once K is known to fit."""
    n_docs = len({c.doc_id for c in gold})
    if not 2 <= k <= n_docs:
        raise InputError(f"cannot split {n_docs} gold documents into {k} folds: --cv K needs 2 <= K <= "
                         f"{n_docs} (with one document, fit the learning baselines on --train)")
    return training_data.document_folds(gold, k, seed)


def check_labels(name: str, model: Any, gold: list[Claim], labels: dict[str, list[str]]) -> None:
    """Every gold label must be one the model can predict, every model label one of the dispute's."""
    for task in TASKS:
        known = list(model.labels[task])
        for label in known:
            if label not in labels[task]:
                raise InputError(f"model {name}: {task} label {label!r} is not in the dispute's labels "
                                 f"({', '.join(labels[task])}); pass the dispute it was trained for")
        for c in gold:
            if getattr(c, task) not in known:
                where = c.extra.get("_source", f"claim {c.id}")
                raise InputError(f"{where}: {task} label {getattr(c, task)!r} is unknown to model {name} "
                                 f"(it knows {', '.join(known)})")


def _probabilities(model: Any, claims: list[Claim], labels: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """``predict_proba`` with columns moved from the model's label order into the dispute's."""
    raw = model.predict_proba(claims)
    out = {}
    for task in TASKS:
        probs = np.zeros((len(claims), len(labels[task])))
        probs[:, [labels[task].index(label) for label in model.labels[task]]] = np.asarray(raw[task], float)
        out[task] = probs
    return out


def _gold_index(claims: list[Claim], labels: dict[str, list[str]]) -> dict[str, np.ndarray]:
    return {task: np.array([labels[task].index(getattr(c, task)) for c in claims], int) for task in TASKS}


def predict(candidates: list[Candidate], gold: list[Claim], labels: dict[str, list[str]],
            args: EvalArguments, extracted: list[Claim] = (), train: list[Claim] | None = None,
            dev: list[Claim] | None = None, given: list[Claim] | None = None) -> list[Predictions]:
    """Each candidate's probabilities for ``gold + extracted``.

    A ``model`` predicts every claim. A fresh (``make``) candidate is fitted
    on ``train``, or else per fold of documents (``args.cv`` folds, or
    ``args.folds_without_train``) and predicts the held-out fold: its scores
    are out-of-fold. With ``dev``, each fitted copy gets a temperature fitted
    on its dev probabilities. Given models' labels are checked by ``evaluate``.
    Models predict ``given`` (``given_claims``: the gold without its labels) when passed;
    candidates that learn fit on the labelled ``gold`` of the other folds.
    """
    if args.cv and train is not None:
        raise ValueError("cross-validation and a training set exclude each other")
    targets = list(given if given is not None else gold) + list(extracted)
    fold_of_doc = None
    if train is None and any(c.make for c in candidates):
        n_docs = len({c.doc_id for c in gold})
        k = args.cv or min(args.folds_without_train, n_docs)
        fold_of_doc = document_folds(gold, k, args.seed)
    return [_predict_one(c, gold, targets, labels, fold_of_doc, train, dev) for c in candidates]


def _predict_one(c: Candidate, gold, targets, labels, fold_of_doc, train, dev) -> Predictions:
    everything = np.ones(len(targets), bool)
    fold = None
    if c.model is not None:
        how, parts = "as given", [(lambda: c.model, everything)]
    elif train is not None:
        how, parts = f"fitted on {len(train)} training claims", [(lambda: c.make().fit(train, dev=dev), everything)]
    else:
        fold = np.array([fold_of_doc[g.doc_id] for g in gold])
        target_fold = np.array([fold_of_doc[t.doc_id] for t in targets])
        n_folds = max(fold_of_doc.values()) + 1
        how = f"{n_folds}-fold cross-validation by document"
        parts = [(lambda held=k: c.make().fit([g for g, f in zip(gold, fold) if f != held], dev=dev), target_fold == k)
                 for k in range(n_folds)]
    probs = {task: np.zeros((len(targets), len(labels[task]))) for task in TASKS}
    scaled = {task: np.zeros_like(p) for task, p in probs.items()} if dev else None
    temperatures = {task: [] for task in TASKS}
    dev_gold = _gold_index(dev, labels) if dev else None
    n = len(gold)
    is_gold = np.arange(len(targets)) < n
    for fit, mask in parts:
        model = fit()
        if c.model is None:  # a given model was checked before anything ran (evaluate)
            check_labels(c.name, model, gold, labels)
        if dev:
            dev_probs = _probabilities(model, dev, labels)
            for task in TASKS:
                temperatures[task].append(fit_temperature(dev_probs[task], dev_gold[task]))
        # Gold and extracted claims apart: a model's batches (sorted by length) must not
        # change the classification scores when --articles is added.
        for rows in (mask & is_gold, mask & ~is_gold):
            if rows.any():
                part = _probabilities(model, [targets[i] for i in np.flatnonzero(rows)], labels)
                for task in TASKS:
                    probs[task][rows] = part[task]
                    if dev:
                        scaled[task][rows] = scale(part[task], temperatures[task][-1])
    return Predictions(
        name=c.name, baseline=c.baseline, how=how,
        probs={task: p[:n] for task, p in probs.items()},
        extracted={task: p[n:] for task, p in probs.items()},
        scaled={task: p[:n] for task, p in scaled.items()} if dev else None,
        temperature={task: float(np.mean(t)) for task, t in temperatures.items()} if dev else None,
        fold=fold,
    )


def evaluate(gold: list[Claim], candidates: list[Candidate], dispute: Dispute,
             args: EvalArguments | None = None, train: list[Claim] | None = None,
             dev: list[Claim] | None = None, articles: dict[str, Path] | None = None,
             sources: dict | None = None) -> Evaluation:
    """Predict and score; ``articles`` (from ``find_articles``) adds the end-to-end scores.

    Labels the given models do not know fail before any model runs.
    """
    args = args or EvalArguments()
    labels = {task: dispute.labels(task) for task in TASKS}
    for c in candidates:
        if c.model is not None:
            check_labels(c.name, c.model, gold, labels)
    e2e = extract_end_to_end(gold, articles, dispute) if articles else None
    candidates = list(candidates) + [
        Candidate(f"{c.name} + annotated speaker_resolved", model=GoldResolution(c.model, gold, dispute))
        for c in candidates if c.model is not None and not c.baseline and hasattr(c.model, "dispute")]
    given = given_claims(gold, articles, dispute)
    # Fitted per fold, a model learns from the names the resolver gives, as the default model
    # does (training.data.with_resolved_speakers), and from the annotated labels.
    fit_on = [dataclasses.replace(g, speaker_resolved=v.speaker_resolved) for g, v in zip(gold, given)] if articles else gold
    predictions = predict(candidates, fit_on, labels, args, e2e.claims if e2e else [], train, dev, given)
    evaluation = Evaluation(gold, labels, predictions, e2e)
    evaluation.metrics = score(evaluation, args, dispute, sources)
    return evaluation


def score(evaluation: Evaluation, args: EvalArguments, dispute: Dispute, sources: dict | None = None) -> dict:
    """The metrics.json dict, schema version 1 (eval/README.md says more)::

        {schema_version, dispute, data: {n_claims, n_documents, gold, articles, dev, train},
         setup: {cv, seed, n_bootstrap, confidence, calibration_bins}, labels: {task: [label]},
         claim_detection: null | {precision, recall, f1, n_gold, n_predicted, n_matched},
         models | baselines: {name: {fitted, tasks: {task: {
             n, accuracy: {value, ci_low, ci_high}, macro_f1: {value, ci_low, ci_high},
             per_class: {label: {precision, recall, f1, support}}, confusion: [[count]],
             calibration: {ece, bins, temperature, ece_scaled, bins_scaled},
             cv: null | {fold_macro_f1, mean, std},
             slices: {kind | speaker_group | document: {value: {n, accuracy, macro_f1}}}}},
           end_to_end?: {task: {matched: {n, accuracy, macro_f1}, end_to_end: {n, accuracy, macro_f1}}}}}}
    """
    gold, labels = evaluation.gold, evaluation.labels
    doc_ids = sorted({c.doc_id for c in gold})
    slices = {
        "kind": [c.kind or "unspecified" for c in gold],
        "speaker_group": [c.speaker_group for c in gold],
        "document": [c.doc_id for c in gold],
    }
    order = {"kind": list(KINDS) + ["unspecified"], "speaker_group": labels["speaker_group"], "document": doc_ids}
    slice_index = {}
    for name, values in slices.items():
        present = set(values)
        keys = [v for v in order[name] if v in present]
        position = {v: i for i, v in enumerate(keys)}
        slice_index[name] = (keys, np.array([position[v] for v in values]))
    gold_idx = _gold_index(gold, labels)
    metrics = {
        "schema_version": SCHEMA_VERSION,
        "dispute": dispute.name,
        "data": {"n_claims": len(gold), "n_documents": len(doc_ids), **(sources or {})},
        "setup": {"cv": args.cv, "seed": args.seed, "n_bootstrap": args.n_bootstrap,
                  "confidence": args.confidence, "calibration_bins": args.n_bins},
        "labels": labels,
        "models": {},
        "baselines": {},
        "claim_detection": None,
    }
    e2e = evaluation.end_to_end
    if e2e:
        metrics["claim_detection"] = detection(len(gold), len(e2e.claims), len(e2e.pairs))
    for p in evaluation.predictions:
        entry = {"fitted": p.how, "tasks": {}}
        for task in TASKS:
            entry["tasks"][task] = _score_task(p, task, labels[task], gold_idx[task], slice_index, args)
        if e2e:
            entry["end_to_end"] = {task: _score_end_to_end(p, task, len(labels[task]), gold_idx[task], e2e.pairs)
                                   for task in TASKS}
        metrics["baselines" if p.baseline else "models"][p.name] = entry
    return _rounded(metrics)


def _score_task(p: Predictions, task: str, labels: list[str], gold: np.ndarray, slice_index: dict,
                args: EvalArguments) -> dict:
    n = len(labels)
    pred = p.probs[task].argmax(1)
    keys, docs = slice_index["document"]
    doc_cms = confusions(gold, pred, n, docs, len(keys))
    cm = doc_cms.sum(0)
    out = summary(cm, labels)
    ci = bootstrap(doc_cms, args.n_bootstrap, args.seed, args.confidence)
    for key in ("accuracy", "macro_f1"):
        out[key] = {"value": out[key], "ci_low": ci[key][0], "ci_high": ci[key][1]}
    out["confusion"] = cm[:, :n].astype(int).tolist()
    before = reliability(p.probs[task], gold, args.n_bins)
    after = reliability(p.scaled[task], gold, args.n_bins) if p.scaled else None
    out["calibration"] = {
        "ece": before["ece"], "bins": before["bins"],
        "temperature": p.temperature[task] if p.temperature else None,
        "ece_scaled": after["ece"] if after else None, "bins_scaled": after["bins"] if after else None,
    }
    if p.fold is not None:
        k = int(p.fold.max()) + 1
        per_fold = scores(confusions(gold, pred, n, p.fold, k))["macro_f1"]
        out["cv"] = {"fold_macro_f1": per_fold.tolist(), "mean": float(per_fold.mean()), "std": float(per_fold.std())}
    else:
        out["cv"] = None
    out["slices"] = {}
    for name, (values, index) in slice_index.items():
        s = scores(confusions(gold, pred, n, index, len(values)))
        out["slices"][name] = {v: {"n": int(s["support"][i].sum()), "accuracy": float(s["accuracy"][i]),
                                   "macro_f1": float(s["macro_f1"][i])} for i, v in enumerate(values)}
    return out


def _score_end_to_end(p: Predictions, task: str, n: int, gold: np.ndarray, pairs: list[tuple[int, int]]) -> dict:
    """Matched pairs alone, then every gold claim with a missed one counted wrong."""
    pred = np.full(len(gold), MISSED)
    extracted = p.extracted[task].argmax(1)
    for g, e in pairs:
        pred[g] = extracted[e]
    matched = np.array([g for g, _ in pairs], int)
    out = {}
    for key, index in (("matched", matched), ("end_to_end", np.arange(len(gold)))):
        s = scores(confusions(gold[index], pred[index], n)[0])
        out[key] = {"n": len(index), "accuracy": float(s["accuracy"]), "macro_f1": float(s["macro_f1"])}
    return out


def _rounded(obj: Any, digits: int = 4) -> Any:
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, dict):
        return {k: _rounded(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_rounded(v, digits) for v in obj]
    return obj


def errors(evaluation: Evaluation, name: str) -> list[dict]:
    """A candidate's misclassified gold claims over both tasks, most confident first."""
    p = next(p for p in evaluation.predictions if p.name == name)
    out = []
    for task in TASKS:
        labels = evaluation.labels[task]
        for c, probs in zip(evaluation.gold, p.probs[task]):
            predicted = labels[int(probs.argmax())]
            if predicted != getattr(c, task):
                out.append({"id": c.id, "doc_id": c.doc_id, "task": task, "sentence": c.sentence, "claim": c.claim,
                            "speaker": c.speaker, "gold": getattr(c, task), "predicted": predicted,
                            "confidence": float(probs.max()),
                            "probabilities": {label: float(v) for label, v in zip(labels, probs)}})
    return sorted(out, key=lambda e: -e["confidence"])


def prediction_records(evaluation: Evaluation) -> list[dict]:
    """predictions.jsonl: per model (not baselines), each gold claim, then each extracted one.

    docs/annotation.md fields with the predicted labels, ``stance_scores`` and
    ``speaker_group_scores``, plus ``model``, ``gold_stance`` and
    ``gold_speaker_group`` (gold claims; ``fold`` under cross-validation) or
    ``extracted: true`` and ``matched_id`` (claims found in the articles).
    """
    e2e = evaluation.end_to_end
    matched = {e: evaluation.gold[g].id for g, e in e2e.pairs} if e2e else {}
    out = []
    for p in evaluation.predictions:
        if p.baseline:
            continue
        rows = [(c, p.probs, i, {"gold_stance": c.stance, "gold_speaker_group": c.speaker_group,
                                 **({"fold": int(p.fold[i])} if p.fold is not None else {})})
                for i, c in enumerate(evaluation.gold)]
        if e2e:
            rows += [(c, p.extracted, i, {"extracted": True, "matched_id": matched.get(i)})
                     for i, c in enumerate(e2e.claims)]
        for claim, probs, i, extra in rows:
            labels = evaluation.labels
            predicted = {task: labels[task][int(probs[task][i].argmax())] for task in TASKS}
            scored = {f"{task}_scores": {label: round(float(v), 4) for label, v in zip(labels[task], probs[task][i])}
                      for task in TASKS}
            record = dataclasses.replace(claim, **predicted, **scored).to_json()
            out.append({"model": p.name, **record, **extra})
    return out
