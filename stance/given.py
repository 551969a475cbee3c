"""Claims a user gives (``stance classify``, gold claims in evaluation): who speaks in them.

A given claim carries its sentence, its claim and its speaker mention. Who the
mention is comes from the speakers stage: run on the claim's article when there
is one (pronouns, continuations and ``the statement`` resolve as in extraction),
else on the mention's words alone. A ``speaker_group`` the user gives is kept as
knowledge (source ``given``); annotated labels are never read unless asked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from .dispute import Dispute
from .records import Claim, Document


def from_mention(claim: Claim, dispute: Dispute) -> Claim:
    """``claim`` with who speaks filled in from its speaker mention alone."""
    from .speakers import resolve_mention

    found = resolve_mention(claim.speaker, dispute, claim.claim)
    return replace(claim, speaker_resolved=found.resolved, speaker_group=found.group or dispute.unattributed_group,
                   speaker_group_source=found.source if found.group else None)


def without_labels(claim: Claim) -> Claim:
    """What a model may see of a gold claim: ``speaker_resolved``, group and stance are labels."""
    return replace(claim, speaker_resolved="", speaker_group=None, stance=None, speaker_group_source=None,
                   stance_scores=None, speaker_group_scores=None)


def resolve(claims: Sequence[Claim], dispute: Dispute, documents: Mapping[str, Document] | None = None) -> list[Claim]:
    """Copies of ``claims`` with speaker_resolved, group and its source from the speakers stage.

    ``documents`` maps a ``doc_id`` to its article; claims of other documents are
    resolved from their mention alone.
    """
    from .pipeline import resolve_documents

    documents = documents or {}
    out = [c if c.doc_id in documents else from_mention(c, dispute) for c in claims]
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        if c.doc_id in documents:
            by_doc.setdefault(c.doc_id, []).append(i)
    items = [(documents[d], [claims[i] for i in rows]) for d, rows in by_doc.items()]
    for rows, resolved in zip(by_doc.values(), resolve_documents(items, dispute=dispute)):
        for i, claim in zip(rows, resolved):
            out[i] = claim
    return out


def as_given(claim: Claim, dispute: Dispute) -> Claim:
    """A ``stance classify`` record: its own ``speaker_group`` or ``speaker_resolved`` when it has them."""
    if claim.speaker_group in dispute.group_labels:
        return replace(claim, speaker_resolved=claim.speaker_resolved or claim.speaker, speaker_group_source="given")
    if claim.speaker_resolved and claim.speaker_resolved != claim.speaker:
        known = from_mention(replace(claim, speaker=claim.speaker_resolved), dispute)
        return replace(known, speaker=claim.speaker)
    return from_mention(claim, dispute)
