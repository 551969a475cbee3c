"""The cue lexicon: which words attribute a claim, and how.

Loaded from ``stance/data/cues.toml``; a dispute's ``[cues]`` table adds to
it with the same keys. Verbs are lemmas; a phrase (``call for``, ``according
to``) is a lemma followed by the words that must come after it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

CUES_FILE = Path(__file__).resolve().parent.parent / "data" / "cues.toml"
#: The tables of cues.toml, and so of a dispute's ``[cues]``.
KEYS = ("speech", "position", "belief", "hedge", "participle", "preposition", "nominal", "document")


def _normalise(word: str) -> str:
    return " ".join(word.lower().replace("’", "'").split())


@dataclass(frozen=True)
class CueLexicon:
    """Sets of lower-cased cue lemmas (``phrases`` maps a first word to its multi-word cues)."""

    speech: frozenset[str]
    position: frozenset[str]
    belief: frozenset[str]
    hedge: frozenset[str]
    participle: frozenset[str]
    preposition: tuple[tuple[str, ...], ...]
    nominal: frozenset[str]
    document: frozenset[str]
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def verbs(self) -> frozenset[str]:
        """Every single-word verb lemma that can be a cue."""
        return self.speech | self.position | self.belief

    def verb_phrases(self, lemma: str) -> tuple[tuple[str, ...], ...]:
        """Multi-word verb cues starting with ``lemma`` (``call`` -> (call, for), (call, on))."""
        return self.phrases.get(lemma, ())

    def kind_of(self, lemma: str, particle: str | None = None) -> set[str]:
        """The tables (speech, position, belief) holding ``lemma`` or ``lemma particle``."""
        key = f"{lemma} {particle}" if particle else lemma
        return {name for name in ("speech", "position", "belief") if key in getattr(self, name)}


def load_cues(extra: dict[str, list[str]] | None = None, path: str | Path | None = None) -> CueLexicon:
    """The built-in lexicon, extended by ``extra`` (a dispute's ``[cues]`` table)."""
    path = Path(path) if path else CUES_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such cue lexicon", path) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"not a valid TOML file ({err})", path) from None
    tables: dict[str, set[str]] = {key: set() for key in KEYS}
    for source, where in ((data, str(path)), (extra or {}, "[cues]")):
        for key, words in source.items():
            if key not in tables:
                raise InputError(f"{where}: unknown cue table {key!r} (expected one of {', '.join(KEYS)})")
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise InputError(f"{where}: cue table {key!r} must be a list of strings")
            tables[key].update(_normalise(w) for w in words if w.strip())
    phrases: dict[str, set[tuple[str, ...]]] = {}
    for key in ("speech", "position", "belief", "participle"):
        for cue in tables[key]:
            words = tuple(cue.split())
            if len(words) > 1:
                phrases.setdefault(words[0], set()).add(words)
    return CueLexicon(
        speech=frozenset(tables["speech"]),
        position=frozenset(tables["position"]),
        belief=frozenset(tables["belief"]),
        hedge=frozenset(tables["hedge"]),
        participle=frozenset(tables["participle"]),
        preposition=tuple(sorted((tuple(p.split()) for p in tables["preposition"]), key=len, reverse=True)),
        nominal=frozenset(tables["nominal"]),
        document=frozenset(tables["document"]),
        phrases={k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()},
    )
