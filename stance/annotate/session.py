"""An annotation session: the review queue, the annotator's actions, the gold file they add up to.

Actions (JSON objects, each journaled before it takes effect on the gold file):

* ``{"op": "accept", "id": ID}`` / ``{"op": "reject", "id": ID}``: the claim is right
  (saved) / not a claim at all (left out of the gold file);
* ``{"op": "edit", "id": ID, ...}`` with any of ``stance``, ``speaker_group``,
  ``speaker_resolved``, ``note`` (values), ``span`` (new claim boundaries) and
  ``speaker_span`` (``[start, end)`` of the speaker's mention, or null: no named source);
* ``{"op": "add", "span": [start, end], "doc_id": DOC}``: a claim the model missed; it
  becomes the current claim, to be labelled and accepted like the others;
* ``{"op": "undo"}``: takes back the latest action still in force.

Offsets index the article's text as read, as every span in stance does.
"""

from __future__ import annotations

import copy
import os
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable, Optional, Sequence

from ..dispute import Dispute
from ..errors import InputError
from ..io import atomic_write, dumps_jsonl
from ..reader import PAD, span_text
from ..records import Claim
from .journal import Journal, in_force
from .queue import Article, review_order

EDITABLE = ("stance", "speaker_group", "speaker_resolved", "note")


class ActionError(ValueError):
    """An action the session cannot apply (an unknown claim, a label outside the set, an empty span)."""


class Session:
    """The queue of claims to review and the decisions taken, rebuilt from the journal at start.

    ``label`` labels a claim the annotator added (the model's guess, to correct);
    ``None`` leaves the dispute's unattributed group and neutral stance.
    """

    def __init__(self, articles: Sequence[Article], out: str | os.PathLike, dispute: Dispute,
                 label: Optional[Callable[[Claim], Claim]] = None):
        self.articles = {a.document.doc_id: a for a in articles}
        self.out = Path(out)
        self.journal = Journal(journal_path(out))
        self.dispute = dispute
        self.labels = {t: dispute.labels(t) for t in ("stance", "speaker_group")}
        self._label = label
        self._queue = review_order(articles)
        self._actions = in_force(self.journal.read())
        self._rebuild()
        self.write_gold()

    # -- state ------------------------------------------------------------
    def _rebuild(self) -> None:
        """Apply the actions in force to the model's claims: drafts, decisions, added claims."""
        self.drafts = {c.id: copy.copy(c) for c in self._queue}
        self.order = [c.id for c in self._queue]
        self.status: dict[str, str] = {}
        for action in self._actions:
            if action.get("id", "") not in self.drafts and action["op"] != "add":
                raise InputError(f"the journal names claim {action.get('id')!r}, which these articles do not hold: "
                                 "annotate the same articles, or choose a new --out", self.journal.path)
            try:
                self._apply(action)
            except ActionError as err:
                raise InputError(f"the journal does not fit these articles ({err})", self.journal.path) from None

    def _apply(self, action: dict) -> None:
        op = action["op"]
        if op == "add":
            claim = Claim.from_json(action["record"])
            self.drafts[claim.id] = claim
            before = action.get("before")
            self.order.insert(self.order.index(before) if before in self.order else len(self.order), claim.id)
        elif op in ("accept", "reject"):
            self.status[action["id"]] = {"accept": "accepted", "reject": "rejected"}[op]
        elif op == "edit":
            self.drafts[action["id"]] = self._edited(self.drafts[action["id"]], action)

    def current(self) -> Optional[Claim]:
        """The first claim in the review order with no decision yet (None: all done)."""
        return next((self.drafts[i] for i in self.order if i not in self.status), None)

    def gold(self) -> list[Claim]:
        """The accepted claims, in article and text order, as ANNOTATION.md records."""
        kept = [self.drafts[i] for i in self.order if self.status.get(i) == "accepted"]
        docs = list(self.articles)
        return sorted(kept, key=lambda c: (docs.index(c.doc_id), c.claim_span or (0, 0), c.id))

    def write_gold(self) -> None:
        """The gold file from the decisions in force, replaced atomically."""
        atomic_write(self.out, dumps_jsonl(gold_record(c) for c in self.gold()))

    @property
    def can_undo(self) -> bool:
        return bool(self._actions)

    def progress(self) -> dict:
        decided = Counter(self.status.values())
        gold = self.gold()
        return {"done": len(self.status), "left": len(self.order) - len(self.status),
                "accepted": decided["accepted"], "rejected": decided["rejected"],
                "stance": dict(Counter(c.stance for c in gold)),
                "speaker_group": dict(Counter(c.speaker_group for c in gold))}

    # -- actions ----------------------------------------------------------
    def act(self, action: dict) -> None:
        """Check one action, journal it (fsync), apply it, rewrite the gold file."""
        action = self._checked(action)
        if action["op"] == "undo":
            if not self._actions:
                raise ActionError("nothing to undo")
            self.journal.append(action)
            self._actions.pop()
            self._rebuild()
        else:
            self.journal.append(action)
            self._actions.append(action)
            self._apply(action)
        self.write_gold()

    def _checked(self, action: dict) -> dict:
        """The action as it will be journaled, or ``ActionError`` saying what is wrong with it."""
        if not isinstance(action, dict):
            raise ActionError("an action is a JSON object")
        op = action.get("op")
        if op == "undo":
            return {"op": "undo"}
        if op == "add":
            return {"op": "add", "record": self._added(action), "before": getattr(self.current(), "id", None)}
        claim_id = action.get("id")
        if not isinstance(claim_id, str) or claim_id not in self.drafts:
            raise ActionError(f"no claim {claim_id!r}")
        if op in ("accept", "reject"):
            return {"op": op, "id": claim_id}
        if op == "edit":
            clean = {"op": "edit", "id": claim_id}
            clean.update({k: action[k] for k in ("span", "speaker_span", *EDITABLE) if k in action})
            self._edited(self.drafts[claim_id], clean)  # raises on a bad value
            return clean
        raise ActionError(f"unknown action {op!r} (accept, reject, edit, add, undo)")

    def _edited(self, claim: Claim, action: dict) -> Claim:
        claim = copy.copy(claim)
        article = self.articles[claim.doc_id]
        for task in ("stance", "speaker_group"):
            if task in action and action[task] not in self.labels[task]:
                raise ActionError(f"unknown {task} {action[task]!r}")
        for key in EDITABLE:
            if key in action:
                if not isinstance(action[key], str):
                    raise ActionError(f"{key} must be a string")
                setattr(claim, key, action[key])
        if "speaker_group" in action:
            claim.speaker_group_source = None
        if "span" in action:
            claim = self._with_span(claim, article, action["span"])
        if "speaker_span" in action:
            span = action["speaker_span"]
            if span is None:
                claim.speaker, claim.speaker_span, claim.speaker_resolved = "", None, ""
            else:
                start, end = _trimmed(article, span)
                claim.speaker, claim.speaker_span = span_text(article.document, start, end), (start, end)
                if "speaker_resolved" not in action:
                    claim.speaker_resolved = claim.speaker
        return claim

    def _with_span(self, claim: Claim, article: Article, span) -> Claim:
        """``claim`` with new boundaries; its sentence grows to every sentence the new span touches."""
        start, end = _trimmed(article, span)
        first = max(0, bisect_right(article.sentences, (start, float("inf"))) - 1)
        touched = [s for s in article.sentences[first:] if s[0] < end and s[1] > start] or [(start, end)]
        sentence_span = (min(touched[0][0], start), max(touched[-1][1], end))
        text, sentence = span_text(article.document, start, end), span_text(article.document, *sentence_span)
        if not text.strip() or text not in sentence:
            raise ActionError("the selection is not a claim of this article's text")
        return replace(claim, claim=text, claim_span=(start, end), sentence=sentence, sentence_span=sentence_span)

    def _added(self, action: dict) -> dict:
        doc_id = action.get("doc_id")
        if not isinstance(doc_id, str) or doc_id not in self.articles:
            raise ActionError(f"no article {doc_id!r}")
        taken = set(self.drafts)
        n = 1 + sum(1 for i in taken if i.startswith(f"{doc_id}-a"))
        while f"{doc_id}-a{n}" in taken:
            n += 1
        base = Claim(id=f"{doc_id}-a{n}", doc_id=doc_id, sentence="", claim="",
                     speaker_group=self.dispute.unattributed_group, stance=self.dispute.neutral_stance)
        claim = self._with_span(base, self.articles[doc_id], action.get("span"))
        if self._label is not None:
            labelled = self._label(claim)
            claim = replace(claim, stance=labelled.stance, speaker_group=labelled.speaker_group)
        return gold_record(claim) | {"claim_span": list(claim.claim_span), "sentence_span": list(claim.sentence_span)}


def journal_path(out: str | os.PathLike) -> Path:
    """The journal lives beside the gold file: ``GOLD.jsonl`` -> ``GOLD.jsonl.journal``."""
    out = Path(out)
    return out.with_name(out.name + ".journal")


def check_out(out: str | os.PathLike, inputs: Sequence[str]) -> None:
    """A gold file may be new, or one this tool wrote (its journal beside it): never someone's own data."""
    from ..outputs import check_output_file

    check_output_file(out, inputs)
    if Path(out).exists() and Path(out).stat().st_size and not journal_path(out).exists():
        raise InputError(f"exists and has no journal ({journal_path(out).name}) beside it: it was not written by "
                         "stance annotate; choose a new --out (nothing was changed)", out)


def gold_record(claim: Claim) -> dict:
    """The ANNOTATION.md record of a reviewed claim: labels and spans, no model scores."""
    return replace(claim, stance_scores=None, speaker_group_scores=None, speaker_group_source=None).to_json()


def _trimmed(article: Article, span) -> tuple[int, int]:
    """``[start, end)`` inside the article's body, white space trimmed, or ``ActionError``."""
    if (not isinstance(span, (list, tuple)) or len(span) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)):
        raise ActionError("a span is [start, end] (character offsets)")
    start, end = span
    text = article.document.text
    if not 0 <= start < end <= len(text):
        raise ActionError("the span lies outside the article")
    view = article.document.view  # markup of an HTML page is blank (white space or PAD) in the view
    while start < end and (view[start].isspace() or view[start] == PAD):
        start += 1
    while end > start and (view[end - 1].isspace() or view[end - 1] == PAD):
        end -= 1
    if start == end:
        raise ActionError("the selection is empty")
    return start, end
