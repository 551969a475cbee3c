"""Score the claims stage on brat attribution annotations (PolNeAR's format).

For each article the gold spans of each role (source, cue, content) are
compared with the spans the extractor reports, role by role:

- **units**: every gold span piece is one unit, so a discontinuous gold span
  (``Content 10 40;52 90``, an interrupted quote) counts as its pieces, and a
  prediction may match any one of them; the extractor reports an interrupted
  quote as one claim per piece, so the two line up. Within an article the
  same span used by several attributions (one source of two claims) counts
  once, on both sides;
- **exact**: the two spans are equal after trimming, on both sides, edge
  whitespace, punctuation and quote marks and a content's leading ``that``
  (PolNeAR keeps the complementiser and the quote marks inside contents;
  stance's convention drops them, docs/annotation.md);
- **strict**: the raw offsets are equal (no trimming);
- the default extractor runs with ``conventions="polnear"``: source mentions
  are whole noun phrases, appositives and relative clauses included
  (``Rep. Adam Schiff, the top Democrat on the committee,``), and a relative
  pronoun is the source as it stands (``who``); stance's own output keeps the
  head phrase (``Rep. Adam Schiff``) and the noun ``who`` stands for; cues
  hold the auxiliaries and adverbs before the verb (``has also warned``);
- a predicted content that starts with its own cue (stance's verb-phrase
  claims, ``rejected this stand``) is scored without the cue, as PolNeAR
  never puts the cue inside the content;
- **overlap**: the token F1 of the two spans, by token position, is at least
  0.5 (``eval.matching.THRESHOLD``, the threshold of the end-to-end matching);
- pairs are made one to one, best first; precision is matched predictions over
  predictions, recall matched gold units over gold units.

An article annotated twice (``<stem>_<annotator>.ann``) is scored against one
annotation: the first .ann file in sorted order (``stance.brat.pair_files``).
Only the body the reader keeps is parsed, so gold spans in a title or a
dropped boilerplate line are counted as missed.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

from stance.brat import BratDocument, pair_files, read_ann

from .matching import THRESHOLD, greedy_pairs, overlap_f1
from .metrics import detection

ROLES = {"source": "Source", "cue": "Cue", "content": "Content"}
MODES = ("exact", "strict", "overlap")
_EDGE = " \t\n\r.,;:!?\"'“”‘’()[]—–-"
_WORD = re.compile(r"\w+")

Span = tuple[int, int]


def normalise(text: str, span: Span, role: str) -> Optional[Span]:
    """The span trimmed for the exact comparison; None when nothing is left."""
    start, end = span
    for _ in range(3):
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if role == "content" and re.match(r"that\b", text[start:end], re.I) and end - start > 5:
            start += 4
    return (start, end) if end > start else None


def _tokens(text: str, span: Span) -> Counter:
    """The span's words by position, so that two spans overlap where they share positions."""
    return Counter(m.start() for m in _WORD.finditer(text, span[0], span[1]))


def match_spans(text: str, gold: list[Span], pred: list[Span], role: str) -> dict[str, int]:
    """Number of one-to-one matches of ``pred`` to ``gold`` under each mode."""
    out = {}
    gold = [g for g in gold if _tokens(text, g)]
    pred = [p for p in pred if _tokens(text, p)]
    norm_gold = [normalise(text, g, role) for g in gold]
    norm_pred = [normalise(text, p, role) for p in pred]
    tok_gold = [_tokens(text, g) for g in gold]
    tok_pred = [_tokens(text, p) for p in pred]
    for mode in MODES:
        pairs = []
        for i, g in enumerate(gold):
            for j, p in enumerate(pred):
                if mode == "strict":
                    score = 1.0 if g == p else 0.0
                elif mode == "exact":
                    score = 1.0 if norm_gold[i] is not None and norm_gold[i] == norm_pred[j] else 0.0
                else:
                    score = overlap_f1(tok_gold[i], tok_pred[j])
                    score = score if score >= THRESHOLD else 0.0
                if score:
                    pairs.append((-score, i, j))
        out[mode] = len(greedy_pairs(pairs))
    out["gold"], out["pred"] = len(gold), len(pred)
    return out


def gold_spans(doc: BratDocument) -> dict[str, list[Span]]:
    return {role: doc.role_pieces(label) for role, label in ROLES.items()}


def predicted_spans(attributions, text: str = "") -> dict[str, list[Span]]:
    """Predicted spans per role; a content that starts with its own cue loses the cue.

    stance's verb-phrase claims include the verb (``rejected this stand``,
    docs/annotation.md); PolNeAR's contents never hold their cue (``this stand``).
    """
    out: dict[str, dict[Span, None]] = {role: {} for role in ROLES}
    for a in attributions:
        content = a.content
        if a.cue is not None and a.cue[0] <= content[0] < a.cue[1] < content[1]:
            start = a.cue[1]
            while start < content[1] and (start >= len(text) or text[start].isspace()):
                start += 1
            content = (start, content[1])
        for role, span in (("source", a.source), ("cue", a.cue), ("content", content)):
            if span is not None:
                out[role].setdefault(tuple(span), None)
    return {role: list(spans) for role, spans in out.items()}


def default_extractor(cues=None) -> Callable:
    """Documents -> attributions with the default claims stage (one batched spaCy pass)."""
    from stance.claims import find_attributions, load_cues
    from stance.sentences import parse_many

    cues = cues or load_cues()

    def extract(documents):
        return [find_attributions(paragraphs, document, cues, conventions="polnear")
                for document, paragraphs in zip(documents, parse_many(documents))]

    return extract


def run_attribution_eval(brat_dir: str | Path, text_dir: str | Path | None = None, *, limit: int | None = None,
                         extractor: Callable | None = None, cues=None, tagger: str | Path | None = None,
                         per_document: bool = False) -> dict:
    """Score the extractor on a brat folder; a plain dict of counts and P/R/F1 per role and mode.

    ``extractor`` maps a list of ``Document`` to a list of attribution lists
    (default: ``stance.claims.find_attributions`` on the spaCy parse; with
    ``tagger``, the trained tagger built in that folder, stance/claims/tagger.py).
    """
    if tagger is not None and extractor is None:
        from stance.claims.tagger import extractor as tagger_extractor

        extractor = tagger_extractor(tagger)
    from stance.reader import document_from_text

    started = time.perf_counter()
    name = f"tagger {tagger}" if tagger is not None else "custom" if extractor is not None else "rules"
    pairs = pair_files(brat_dir, text_dir)
    if not pairs:
        raise FileNotFoundError(f"no .ann files in {brat_dir}")
    if limit:
        pairs = pairs[:limit]
    golds, documents, problems = [], [], []
    for ann, txt in pairs:
        gold = read_ann(ann, txt)
        problems += gold.problems
        golds.append(gold)
        documents.append(document_from_text(gold.text, gold.doc_id, path=str(txt)))
    predictions = (extractor or default_extractor(cues))(documents)
    totals = {role: {k: 0 for k in MODES + ("gold", "pred")} for role in ROLES}
    docs = []
    for gold, predicted in zip(golds, predictions):
        g, p = gold_spans(gold), predicted_spans(predicted, gold.text)
        row = {"doc_id": gold.doc_id, "annotator": gold.annotator}
        for role in ROLES:
            counts = match_spans(gold.text, g[role], p[role], role)
            row[role] = counts
            for key, value in counts.items():
                totals[role][key] += value
        docs.append(row)
    result = {
        "documents": len(golds),
        "brat_dir": str(brat_dir),
        "extractor": name,
        "annotator_choice": "first .ann in sorted order",
        "units": "gold span pieces (a discontinuous span counts as its pieces); spans deduplicated per article",
        "overlap_threshold": THRESHOLD,
        "seconds": round(time.perf_counter() - started, 1),
        "skipped_lines": problems,
    }
    for role in ROLES:
        c = totals[role]
        result[role] = {mode: detection(c["gold"], c["pred"], c[mode]) for mode in MODES}
    if per_document:
        result["per_document"] = docs
    return result


def format_table(result: dict) -> str:
    """The metrics as a terminal table (percentages)."""
    lines = [f"attribution scores of the {result.get('extractor', 'rules')} extractor on {result['documents']} "
             f"articles ({result['brat_dir']}), {result['seconds']} s",
             f"{'role':<8} {'mode':<8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6} {'match':>6}"]
    for role in ROLES:
        for mode in ("overlap", "exact", "strict"):
            m = result[role][mode]
            lines.append(f"{role:<8} {mode:<8} {100 * m['precision']:6.1f} {100 * m['recall']:6.1f} "
                         f"{100 * m['f1']:6.1f} {m['n_gold']:6d} {m['n_predicted']:6d} {m['n_matched']:6d}")
    if result.get("skipped_lines"):
        lines.append(f"{len(result['skipped_lines'])} malformed annotation line(s) skipped")
    return "\n".join(lines)


def print_table(result: dict) -> None:
    print(format_table(result))
