"""Training data: JSONL files, folders or a ``datasets`` dataset, checked record by record."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Sequence

from stance.dispute import Dispute
from stance.errors import InputError
from stance.io import read_claims, validate_record
from stance.records import Claim

#: The corpus that ships: the annotated seed article and the articles we wrote.
DATA_DIR = Path(__file__).parent / "data"


def load_training_data(sources: Iterable, dispute: Dispute) -> list[Claim]:
    """Claims from JSONL paths (files, folders, globs), saved datasets or ``datasets.Dataset`` objects.

    Every bad record is reported at once (``file:line: problem``) before any
    training starts.
    """
    paths, claims, errors = [], [], []
    for source in sources:
        if hasattr(source, "column_names"):  # a datasets.Dataset in memory
            claims += _from_rows(source, "<dataset>", dispute, errors)
        elif Path(str(source)).is_dir() and (Path(str(source)) / "dataset_info.json").exists():
            try:
                import datasets
            except ModuleNotFoundError:
                raise InputError("a saved dataset needs the training extra: pip install 'stance[train]'", source) \
                    from None
            claims += _from_rows(datasets.load_from_disk(str(source)), str(source), dispute, errors)
        else:
            paths.append(str(source))
    if paths:
        try:
            claims += read_claims(paths, dispute)
        except InputError as err:
            errors.append(str(err))
    if errors:
        raise InputError("\n".join(errors))
    if not claims:
        raise InputError("no training records found")
    return claims


def _from_rows(rows, where: str, dispute: Dispute, errors: list[str]) -> list[Claim]:
    out = []
    for n, row in enumerate(rows, 1):
        problem, claim = validate_record(dict(row), dispute)
        if problem:
            errors.append(f"{where}:{n}: {problem}")
        else:
            out.append(claim)
    return out


def document_folds(claims: Sequence[Claim], k: int, seed: int, label: str = "stance") -> dict[str, int]:
    """Fold (0..k-1) of each document: no document in two folds, each fold's ``label`` mix like the whole.

    The one splitter by document: cross-validation (``stance eval``) and the dev
    split of training both use it (scikit-learn's ``StratifiedGroupKFold``).
    """
    import warnings

    from sklearn.model_selection import StratifiedGroupKFold

    docs = [c.doc_id for c in claims]
    labels = [str(getattr(c, label)) for c in claims]
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    with warnings.catch_warnings():  # a label rarer than k claims cannot be in every fold: it is still split
        warnings.filterwarnings("ignore", "The least populated class", UserWarning)
        folds = list(splitter.split(docs, labels, groups=docs))
    return {docs[i]: fold for fold, (_, held) in enumerate(folds) for i in held}


def split_by_document(claims: Sequence[Claim], fraction: float, seed: int) -> tuple[list[Claim], list[Claim]]:
    """Hold out about ``fraction`` of the claims, whole documents only, as a dev set: one fold of 1/fraction."""
    n_docs = len({c.doc_id for c in claims})
    if n_docs < 3 or fraction <= 0:
        return list(claims), []
    folds = document_folds(claims, min(n_docs, max(2, round(1 / fraction))), seed)
    return [c for c in claims if folds[c.doc_id] != 0], [c for c in claims if folds[c.doc_id] == 0]


def data_hash(claims: Sequence[Claim]) -> str:
    """A stable fingerprint of the training records (what the model saw)."""
    h = hashlib.sha256()
    for c in claims:
        h.update(json.dumps([c.doc_id, c.sentence, c.claim, c.speaker, c.speaker_resolved,
                             c.speaker_group, c.stance], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def with_resolved_speakers(claims: Sequence[Claim], articles: Path, dispute: Dispute) -> list[Claim]:
    """Training claims whose ``speaker_resolved`` is the speakers stage's, not the annotator's.

    At run time the classifier reads the resolver's names ("Ashfaq Parvez Kayani",
    "US officials"), never an annotator's gloss ("anonymous senior US official,
    relaying Kayani"): training on the same kind of input is what carries over.
    Labels stay the gold ones; claims with no article in ``articles`` are kept as they are.
    """
    from stance.given import resolve
    from stance.reader import read_document

    folder = Path(articles)
    documents = {d: read_document(folder / f"{d}.txt") for d in sorted({c.doc_id for c in claims})
                 if (folder / f"{d}.txt").is_file()}
    names = iter(r.speaker_resolved for r in resolve([c for c in claims if c.doc_id in documents], dispute, documents))
    return [replace(c, speaker_resolved=next(names)) if c.doc_id in documents else c for c in claims]

