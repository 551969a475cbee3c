"""The dispute configuration: label sets, their meanings, the speaker gazetteer.

One TOML file describes a dispute; the default ships in ``stance/data/disputes``.
Copy it and pass ``--dispute FILE`` to study another one.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import InputError

DEFAULT_DISPUTE = Path(__file__).parent / "data" / "disputes" / "nato-salala-2011.toml"


@dataclass(frozen=True)
class Alias:
    """A name for an entity: ``words`` (lower-cased tokens) refer to ``entity``."""

    words: tuple[str, ...]
    entity: str
    group: str


@dataclass
class Dispute:
    name: str
    title: str
    stance: dict[str, str]
    speaker_group: dict[str, str]
    aliases: list[Alias]
    generic: list[Alias]
    speaker_rules: list[tuple[str, list[frozenset[str]]]]
    cues: dict[str, list[str]] = field(default_factory=dict)
    female: frozenset[str] = frozenset()
    unattributed_group: str = "unattributed"
    neutral_stance: str = "neutral"
    source: str = ""

    @property
    def stance_labels(self) -> list[str]:
        return list(self.stance)

    @property
    def group_labels(self) -> list[str]:
        return list(self.speaker_group)

    def labels(self, task: str) -> list[str]:
        """Label list of ``task`` (``stance`` or ``speaker_group``)."""
        return list(getattr(self, task))

    @property
    def fingerprint(self) -> str:
        """Hash of the configuration text: part of the default model's cache key."""
        return hashlib.sha256(self.source.encode()).hexdigest()[:16]


def tokenize_name(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens, keeping inner dots and hyphens (``u.s.``, ``pml-n``)."""
    return tuple(re.findall(r"[\w][\w.\-']*[\w]|[\w]", text.lower().replace("’", "'")))


def _aliases(table: dict, path: Path, section: str, groups: dict) -> list[Alias]:
    out = []
    for group, entities in table.items():
        if group not in groups:
            raise InputError(f"[{section}.{group}]: unknown speaker group {group!r}", path)
        if isinstance(entities, list):  # [generic]: group -> nouns
            entities = {noun: [noun] for noun in entities}
        for entity, names in entities.items():
            for name in names:
                out.append(Alias(tokenize_name(name), entity, group))
    return out


def load_dispute(path: str | Path | None = None) -> Dispute:
    """Read a dispute TOML file (the default dispute when ``path`` is None)."""
    path = Path(path) if path else DEFAULT_DISPUTE
    return _load(str(path.resolve()) if path.exists() else str(path))


@lru_cache(maxsize=8)
def _load(path_str: str) -> Dispute:
    path = Path(path_str)
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except FileNotFoundError:
        raise InputError("no such dispute configuration", path) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"not a valid TOML file ({err})", path) from None
    meta = data.get("dispute", {})
    stance = data.get("stance") or {}
    groups = data.get("speaker_group") or {}
    if len(stance) < 2 or len(groups) < 1:
        raise InputError("needs a [stance] table of at least two labels and a [speaker_group] table", path)
    rules = []
    for i, rule in enumerate(data.get("speaker_rules", [])):
        if rule.get("group") not in groups:
            raise InputError(f"speaker_rules[{i}]: unknown group {rule.get('group')!r}", path)
        rules.append((rule["group"], [frozenset(w.lower() for w in words) for words in rule["words"]]))
    unattributed = meta.get("unattributed_group", "unattributed")
    neutral = meta.get("neutral_stance", "neutral")
    if unattributed not in groups or neutral not in stance:
        raise InputError("unattributed_group and neutral_stance must be labels of the dispute", path)
    return Dispute(
        name=meta.get("name", path.stem),
        title=meta.get("title", path.stem),
        stance=dict(stance),
        speaker_group=dict(groups),
        aliases=_aliases(data.get("gazetteer", {}), path, "gazetteer", groups),
        generic=_aliases(data.get("generic", {}), path, "generic", groups),
        speaker_rules=rules,
        cues={k: list(v) for k, v in data.get("cues", {}).items()},
        female=frozenset(data.get("people", {}).get("female", [])),
        unattributed_group=unattributed,
        neutral_stance=neutral,
        source=source,
    )
