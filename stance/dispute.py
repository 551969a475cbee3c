"""The dispute configuration: label sets, their meanings, the speaker gazetteer.

One TOML file describes a dispute; the default ships in ``stance/data/disputes``.
Copy it and pass ``--dispute FILE`` to study another one.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .errors import InputError

DEFAULT_DISPUTE = Path(__file__).parent / "data" / "disputes" / "nato-salala-2011.toml"


#: What a gazetteer entity is: pronoun agreement follows it (``he`` is a person, ``it`` a body).
KINDS = ("person", "org", "state", "group", "outlet")
GENDERS = ("male", "female", "")


@dataclass(frozen=True)
class Alias:
    """A name for an entity: ``words`` (normalised tokens, see ``tokenize_name``) refer to ``entity``.

    ``role`` marks a title or description (``army chief``, ``DG ISPR``) rather
    than a name; ``cased`` aliases (acronyms such as ``US``, outlets such as
    ``Dawn``) match only words that are not all lower-case in the text.
    """

    words: tuple[str, ...]
    entity: str
    group: str
    kind: str = "org"
    gender: str = ""
    role: bool = False
    cased: bool = False


@dataclass(frozen=True)
class Entity:
    """A known speaker of the dispute: its group, what it is, and the nouns that may refer back to it."""

    name: str
    group: str
    kind: str = "org"
    gender: str = ""
    nouns: frozenset[str] = frozenset()

    @property
    def plural(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class Affiliation:
    """Words that place an unknown speaker on a side (``Afghan officials``, ``officials in Washington``).

    ``group`` is the side's group; ``split`` moves it to another group when the
    mention also holds one of that group's words (``a Pakistani military
    official``); ``account`` does the same, as context, when a mention that
    names only the state (``Pakistan``, ``Pakistani officials``) makes a claim
    about one of those words (the army's account: the posts, the firing).
    ``places`` place a speaker as ``words`` do but do not make a source named
    (``diplomatic sources in Islamabad`` stay vague).
    """

    side: str
    group: str
    words: frozenset[str]
    places: frozenset[str] = frozenset()
    split: tuple[tuple[str, frozenset[str]], ...] = ()
    account: tuple[tuple[str, frozenset[str]], ...] = ()


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
    entities: dict[str, Entity] = field(default_factory=dict)
    affiliations: list[Affiliation] = field(default_factory=list)
    #: speaker_rules that fire only when the mention names no side (``officials familiar with the talks``)
    unaffiliated_rules: frozenset[int] = frozenset()
    #: speaker_rules that come before known bodies and roles (``a former Pentagon official``)
    before_bodies_rules: frozenset[int] = frozenset()
    female_names: frozenset[str] = frozenset()
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


_TOKEN = re.compile(r"[^\W_](?:[\w.']*[^\W_])?")
_ABBREVIATIONS = {"u.s": "us", "u.s.a": "usa", "u.n": "un", "u.k": "uk", "e.u": "eu"}


def name_tokens(text: str) -> list[tuple[str, str]]:
    """``(normalised, as written)`` word tokens of a name or mention.

    Normalised: lower case, curly apostrophes straightened, possessive ``'s``
    dropped (``Pakistan's army`` matches ``Pakistan army``), hyphens split
    (``PML-N`` -> ``pml n``), dots dropped (``U.S.`` -> ``us``, ``Gen.`` -> ``gen``).
    """
    return [(low, word) for low, word, _, _ in name_token_spans(text)]


def name_token_spans(text: str) -> list[tuple[str, str, int, int]]:
    """``name_tokens`` with each token's ``[start, end)`` offsets in ``text``."""
    out = []
    flat = text.replace("’", "'").replace("‘", "'").replace("-", " ").replace("–", " ")  # same length
    for match in _TOKEN.finditer(flat):
        word, start = match.group(), match.start()
        if word.lower().endswith("'s"):
            word = word[:-2]
        while word and word[0] in "'.":
            word, start = word[1:], start + 1
        word = word.rstrip("'.")
        if not word:
            continue
        low = word.lower()
        low = _ABBREVIATIONS.get(low, low).replace(".", "")
        out.append((low, text[start:start + len(word)], start, start + len(word)))
    return out


def tokenize_name(text: str) -> tuple[str, ...]:
    """Normalised word tokens of a name (see ``name_tokens``): ``U.S. Army's`` -> ``("us", "army")``."""
    return tuple(low for low, _ in name_tokens(text))


def _is_cased(name: str) -> bool:
    """An alias written all in capitals (``US``, ``PTI``): lower-case words (``us``) are not it."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _aliases(table: dict, path: Path, section: str, groups: dict, entities_out: dict | None = None) -> list[Alias]:
    """Aliases of a ``[gazetteer]`` or ``[generic]`` table.

    An entity is either a list of names (the first form, still read) or a
    table with ``aliases``, ``roles``, ``nouns``, ``kind``, ``gender`` and
    ``cased`` (names that match only when capitalised, like ``Dawn``).
    """
    out = []
    for group, entities in table.items():
        if group not in groups:
            raise InputError(f"[{section}.{group}]: unknown speaker group {group!r}", path)
        if isinstance(entities, list):  # [generic]: group -> nouns
            entities = {noun: [noun] for noun in entities}
        if not isinstance(entities, dict):
            raise InputError(f"[{section}.{group}]: expected a table of entities", path)
        for entity, spec in entities.items():
            where = f"[{section}.{group}] {entity!r}"
            if isinstance(spec, list):
                spec = {"aliases": spec}
            if not isinstance(spec, dict):
                raise InputError(f"{where}: expected a list of names or a table", path)
            unknown = set(spec) - {"aliases", "roles", "nouns", "kind", "gender", "cased"}
            if unknown:
                raise InputError(f"{where}: unknown field {sorted(unknown)[0]!r}", path)
            kind, gender = spec.get("kind", "org"), spec.get("gender", "")
            if kind not in KINDS:
                raise InputError(f"{where}: kind must be one of {', '.join(KINDS)}", path)
            if gender not in GENDERS:
                raise InputError(f"{where}: gender must be male, female or absent", path)
            names = list(spec.get("aliases", [])) or ([] if spec.get("roles") else [entity])
            cased = set(spec.get("cased", []))
            for name in names + sorted(cased - set(names)):
                words = tokenize_name(name)
                if not words:
                    raise InputError(f"{where}: alias {name!r} has no words", path)
                out.append(Alias(words, entity, group, kind, gender, False, name in cased or _is_cased(name)))
            for name in spec.get("roles", []):
                words = tokenize_name(name)
                if not words:
                    raise InputError(f"{where}: role {name!r} has no words", path)
                out.append(Alias(words, entity, group, kind, gender, True, _is_cased(name)))
            if entities_out is not None:
                nouns = {w for n in spec.get("nouns", []) for w in [" ".join(tokenize_name(n))]}
                if entity in entities_out and entities_out[entity].group != group:
                    raise InputError(f"{where}: the entity is already in group {entities_out[entity].group!r}", path)
                entities_out[entity] = Entity(entity, group, kind, gender, frozenset(nouns))
    return out


def _words(values, where: str, path: Path) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{where}: expected a list of words", path)
    return frozenset(" ".join(tokenize_name(v)) for v in values if tokenize_name(v))


def _affiliations(table: dict, path: Path, groups: dict) -> list[Affiliation]:
    out = []
    for side, spec in table.items():
        where = f"[affiliation.{side}]"
        if not isinstance(spec, dict) or spec.get("group") not in groups:
            raise InputError(f"{where}: needs a group that is a speaker group of the dispute", path)
        pairs = {}
        for key in ("split", "account"):
            value = spec.get(key, {})
            if not isinstance(value, dict) or any(g not in groups for g in value):
                raise InputError(f"{where}: {key} maps speaker groups to word lists", path)
            pairs[key] = tuple((g, _words(w, f"{where} {key}.{g}", path)) for g, w in value.items())
        out.append(Affiliation(side, spec["group"], _words(spec.get("words", []), where, path),
                               _words(spec.get("places", []), where, path), pairs["split"], pairs["account"]))
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
    rules, unaffiliated, before_bodies = [], set(), set()
    for i, rule in enumerate(data.get("speaker_rules", [])):
        if rule.get("group") not in groups:
            raise InputError(f"speaker_rules[{i}]: unknown group {rule.get('group')!r}", path)
        rules.append((rule["group"], [_words(words, f"speaker_rules[{i}]", path) for words in rule["words"]]))
        if rule.get("unless_affiliated"):
            unaffiliated.add(i)
        if rule.get("before_bodies"):
            before_bodies.add(i)
    unattributed = meta.get("unattributed_group", "unattributed")
    neutral = meta.get("neutral_stance", "neutral")
    if unattributed not in groups or neutral not in stance:
        raise InputError("unattributed_group and neutral_stance must be labels of the dispute", path)
    entities: dict[str, Entity] = {}
    aliases = _aliases(data.get("gazetteer", {}), path, "gazetteer", groups, entities)
    people = data.get("people", {})
    female = frozenset(people.get("female", []))
    for name in female & set(entities):  # the first form's list of women
        entities[name] = replace(entities[name], kind="person", gender="female")
    aliases = [replace(a, kind="person", gender="female") if a.entity in female else a for a in aliases]
    return Dispute(
        name=meta.get("name", path.stem),
        title=meta.get("title", path.stem),
        stance=dict(stance),
        speaker_group=dict(groups),
        aliases=aliases,
        generic=_aliases(data.get("generic", {}), path, "generic", groups),
        speaker_rules=rules,
        cues={k: list(v) for k, v in data.get("cues", {}).items()},
        female=female,
        entities=entities,
        affiliations=_affiliations(data.get("affiliation", {}), path, groups),
        unaffiliated_rules=frozenset(unaffiliated),
        before_bodies_rules=frozenset(before_bodies),
        female_names=_words(people.get("female_first_names", []), "[people] female_first_names", path),
        unattributed_group=unattributed,
        neutral_stance=neutral,
        source=source,
    )
