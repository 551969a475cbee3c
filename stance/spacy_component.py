"""The ``stance`` spaCy component: ``nlp.add_pipe("stance")`` writes ``doc.spans["claims"]``.

Registered through the package's ``spacy_factories`` entry point, so spaCy
finds it without ``import stance``. Claims are found by stance's own
pipeline (``stance.pipeline.extract_documents``: paragraph by paragraph, with
stance's parser), so they are the claims ``stance claims`` prints for the
same text; the component places them on the user's ``Doc`` as spans.

Each span carries ``._.speaker``, ``._.speaker_resolved`` and
``._.speaker_group``; with a ``model`` configured (a model folder, a hub id,
or ``"default"``) also ``._.stance`` and ``._.stance_scores``, the classifier
running once per batch of documents.
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

SPANS_KEY = "claims"
EXTENSIONS = ("speaker", "speaker_resolved", "speaker_group", "speaker_group_source", "stance", "stance_scores")

for _name in EXTENSIONS:
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class StanceComponent:
    """Finds attributed claims (and, with a model, their stance) in each ``Doc``."""

    def __init__(self, name: str, model: Optional[str], dispute: Optional[str], batch_size: int):
        self.name, self.model_name, self.dispute_path, self.batch_size = name, model, dispute, batch_size

    @cached_property
    def dispute(self):
        from .dispute import load_dispute

        return load_dispute(self.dispute_path) if self.dispute_path else load_dispute()

    @cached_property
    def classifier(self):
        """The configured model, loaded on first use (``"default"`` may build it once)."""
        from .models import load_model

        return load_model(self.model_name, progress=False)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            yield from self._label(batch)

    def _label(self, docs: list[Doc]) -> list[Doc]:
        from .pipeline import extract_documents
        from .reader import document_from_text

        documents = [document_from_text(doc.text, f"doc{i}") for i, doc in enumerate(docs)]
        claims = [extraction.claims for extraction in extract_documents(documents, dispute=self.dispute)]
        if self.model_name:
            flat = self.classifier.label([c for doc_claims in claims for c in doc_claims])
            labelled = iter(flat)
            claims = [[next(labelled) for _ in doc_claims] for doc_claims in claims]
        for doc, doc_claims in zip(docs, claims):
            doc.spans[SPANS_KEY] = [self._span(doc, c) for c in doc_claims]
        return docs

    def _span(self, doc: Doc, claim) -> Span:
        span = doc.char_span(*claim.claim_span, label="CLAIM", alignment_mode="expand")
        for name in EXTENSIONS:
            if name.startswith("stance") and not self.model_name:
                continue
            span._.set(name, getattr(claim, name))
        return span


@Language.factory("stance", default_config={"model": None, "dispute": None, "batch_size": 64})
def make_stance(nlp: Language, name: str, model: Optional[str], dispute: Optional[str],
                batch_size: int) -> StanceComponent:
    """``model``: None (claims and speakers only), a model folder, a hub id or ``"default"``;
    ``dispute``: a dispute TOML file (None: the packaged dispute)."""
    return StanceComponent(name, model, dispute, batch_size)
