"""Inter-annotator agreement between two annotation files of the same articles.

Claims are paired with the project's matching rule (``matching.match_claims``:
same sentence, token F1 >= 0.5, one to one); span agreement is the F1 of that
pairing (symmetric: 2 x pairs / (claims in A + claims in B)). On the paired
claims, Cohen's kappa per field says how far the two annotators agree beyond
chance. Every disagreement is listed: claims only one side marked, and each
field that differs on a pair.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Optional

from stance.records import Claim

from .matching import match_claims

FIELDS = ("stance", "speaker_group", "speaker", "kind")


@dataclass
class Agreement:
    claims_a: int
    claims_b: int
    pairs: int
    exact_spans: int
    kappa: dict[str, Optional[float]]
    observed: dict[str, float]
    only_a: list[Claim] = field(default_factory=list)
    only_b: list[Claim] = field(default_factory=list)
    differences: list[tuple[Claim, Claim, list[str]]] = field(default_factory=list)

    @property
    def span_f1(self) -> float:
        total = self.claims_a + self.claims_b
        return 2 * self.pairs / total if total else 1.0

    def to_json(self) -> dict:
        return {"claims_a": self.claims_a, "claims_b": self.claims_b, "pairs": self.pairs,
                "span_f1": round(self.span_f1, 4), "exact_spans": self.exact_spans,
                "kappa": {k: None if v is None else round(v, 4) for k, v in self.kappa.items()},
                "observed_agreement": {k: round(v, 4) for k, v in self.observed.items()},
                "only_a": [_brief(c) for c in self.only_a], "only_b": [_brief(c) for c in self.only_b],
                "differences": [{"a": _brief(a), "b": _brief(b), "fields": fields}
                                for a, b, fields in self.differences]}


def _value(claim: Claim, name: str) -> str:
    value = getattr(claim, name) or ""
    return " ".join(value.lower().split()) if name == "speaker" else value


def agreement(a: list[Claim], b: list[Claim]) -> Agreement:
    """Span agreement, Cohen's kappa per field on paired claims, and every disagreement."""
    from sklearn.metrics import cohen_kappa_score

    pairs = match_claims(a, b)
    paired_a, paired_b = {i for i, _ in pairs}, {j for _, j in pairs}
    kappa, observed = {}, {}
    for name in FIELDS:
        both = [(_value(a[i], name), _value(b[j], name)) for i, j in pairs
                if getattr(a[i], name) is not None and getattr(b[j], name) is not None]
        if name == "kind" and not both:
            continue
        observed[name] = sum(x == y for x, y in both) / len(both) if both else math.nan
        with warnings.catch_warnings():  # one label on both sides: kappa is undefined (nan), said as n/a
            warnings.simplefilter("ignore")
            value = float(cohen_kappa_score([x for x, _ in both], [y for _, y in both])) if both else math.nan
        kappa[name] = None if math.isnan(value) else value
    differences = []
    for i, j in pairs:
        fields = [n for n in ("claim", *FIELDS) if _value(a[i], n) != _value(b[j], n)
                  and (n != "kind" or (a[i].kind and b[j].kind))]
        if fields:
            differences.append((a[i], b[j], fields))
    exact = sum(" ".join(a[i].claim.split()) == " ".join(b[j].claim.split()) for i, j in pairs)
    only_a = [c for i, c in enumerate(a) if i not in paired_a]
    only_b = [c for j, c in enumerate(b) if j not in paired_b]
    return Agreement(len(a), len(b), len(pairs), exact, kappa, observed, only_a, only_b, differences)


def _brief(claim: Claim) -> dict:
    return {"id": claim.id, "doc_id": claim.doc_id, "claim": claim.claim, "speaker": claim.speaker,
            "speaker_group": claim.speaker_group, "stance": claim.stance, "kind": claim.kind}


def format_agreement(result: Agreement, name_a: str = "A", name_b: str = "B") -> str:
    """A plain-text report: figures first, then the disagreements."""
    lines = [f"claims: {result.claims_a} in {name_a}, {result.claims_b} in {name_b}, {result.pairs} paired "
             f"(span F1 {result.span_f1:.3f}; {result.exact_spans} with the same boundaries)", "",
             f"{'field':<15}{'kappa':>8}{'agree':>8}"]
    for name, value in result.kappa.items():
        shown = "n/a" if value is None else f"{value:.3f}"
        lines.append(f"{name:<15}{shown:>8}{result.observed[name]:>8.1%}")
    if result.only_a or result.only_b or result.differences:
        lines += ["", "disagreements:"]
    for side, claims in ((name_a, result.only_a), (name_b, result.only_b)):
        for c in claims:
            lines.append(f"  only in {side}: {c.id} [{c.doc_id}] “{c.claim}”")
    for x, y, fields in result.differences:
        shown = "; ".join(f"{f}: {getattr(x, f)!r} / {getattr(y, f)!r}" for f in fields)
        lines.append(f"  {x.id} / {y.id}: {shown}")
    return "\n".join(lines) + "\n"
