"""The annotation loop: pre-annotate articles, review the model's claims in a local page, save gold.

``queue`` pre-annotates and orders the claims, ``journal`` keeps every
decision on disk at once, ``session`` applies the annotator's actions,
``server`` serves the page on 127.0.0.1 behind a per-run token.
"""

from .app import annotate

__all__ = ["annotate"]
