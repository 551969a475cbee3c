"""Stage 4, speakers: who each claim's source mention is, and their group.

Knowledge first (issue 7): a speaker the dispute's gazetteer knows decides
the group, directly or through what a mention refers back to; then rules on
the mention's own words (role nouns with a nationality, an institution or a
place: ``a senior Pakistani military official``, ``Afghan officials``; the
state as speaker; no named source); then the article's context. Each
decision says which evidence made it (``Claim.speaker_group_source``:
``gazetteer``, ``rule`` or ``context``), or ``None`` when knowledge is silent
and the classifier's learned head should decide.

Resolution is deliberately simple and explainable, in reading order:
pronouns go to the most salient earlier mention that agrees in gender,
number and animacy (``it`` is never a person, ``he`` never a body or a
place); definite descriptions (``the official``, ``the general``, ``the
panel``) to the nearest earlier mention sharing their head noun; documents
(``the statement``, ``the report``, ``his investigation``) to their issuer;
a quote with no speaker continues the previous quote's speaker, and in a
transcript ``MR. LITTLE:`` holds the floor (``I``, ``we``, unnamed claims);
a relayed source (``a Journal report citing US officials``) is the innermost one.

Two entry points share one resolver: ``attribute`` (claims the extractor
found) and ``resolve_given`` (claims given with their article, as in
evaluation with gold claims; their labels are never read). ``resolve_mention``
works on a mention alone, for records that come without an article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Iterable, NamedTuple, Optional

from .dispute import Alias, Dispute, name_token_spans, name_tokens, tokenize_name
from .records import Attribution, Claim, Document, Span
from .sentences import Paragraph

# --- English words the resolver reads (the dispute's knowledge is in its TOML) ---
MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}
NEUTER = {"it", "its", "itself"}
PLURAL = {"they", "them", "their", "themselves"}
PRONOUNS = MALE | FEMALE | NEUTER | PLURAL
POSSESSIVES = {"his", "her", "its", "their"}
FEMALE_TITLES = {"ms", "mrs", "miss", "madam", "lady", "begum", "bibi", "dame"}
MALE_TITLES = {"mr", "sir", "maulana", "maulvi", "mullah", "hafiz", "haji", "mian", "chaudhry", "chaudhary",
               "sardar", "nawab", "pir", "makhdoom", "sheikh", "shaikh", "khawaja", "qazi", "mufti", "sahibzada"}
#: Title words that may stand next to a surname without making it another person's name.
TITLES = FEMALE_TITLES | MALE_TITLES | {
    "dr", "gen", "general", "lt", "lieutenant", "maj", "major", "brig", "brigadier", "col", "colonel", "capt",
    "captain", "cmdr", "commander", "adm", "admiral", "marshal", "air", "vice", "rear", "sen", "senator", "rep",
    "representative", "congressman", "congresswoman", "president", "prime", "minister", "premier", "secretary",
    "ambassador", "envoy", "justice", "chief", "deputy", "governor", "chairman", "chairwoman", "spokesman",
    "spokeswoman", "spokesperson", "syed", "sayed", "raja", "rao", "nawabzada", "retd", "retired", "former",
    "mrs", "professor", "prof", "amir", "ameer", "speaker", "leader", "chancellor", "foreign", "interior",
    "defence", "defense", "information", "finance", "federal", "opposition", "army", "military", "judge"}
TITLE_NOUNS = {"gen": "general", "lt": "general", "maj": "major", "brig": "brigadier", "col": "colonel",
               "capt": "captain", "adm": "admiral", "sen": "senator", "rep": "congressman", "amb": "ambassador",
               "spokeswoman": "spokesman", "spokesperson": "spokesman", "officials": "official",
               "premier": "minister", "envoy": "ambassador", "officers": "officer"}
#: Nouns for people: the head of a mention that speaks as a person ("he" may point back to it).
PERSON_NOUNS = {
    "official", "officer", "spokesman", "spokeswoman", "spokesperson", "minister", "diplomat", "ambassador",
    "envoy", "analyst", "expert", "general", "commander", "chief", "secretary", "senator", "lawmaker",
    "legislator", "congressman", "congresswoman", "president", "premier", "leader", "chairman", "chairwoman",
    "governor", "aide", "adviser", "advisor", "source", "negotiator", "investigator", "man", "woman", "resident",
    "villager", "father", "mother", "brother", "sister", "son", "daughter", "widow", "wife", "husband", "cousin",
    "uncle", "driver", "trucker", "transporter", "shopkeeper", "elder", "soldier", "colonel", "brigadier",
    "major", "captain", "admiral", "sergeant", "member", "representative", "observer", "commentator", "scholar",
    "professor", "researcher", "journalist", "correspondent", "editor", "witness", "survivor", "activist",
    "student", "teacher", "lawyer", "cleric", "organiser", "organizer", "speaker", "protester", "demonstrator",
    "housewife", "farmer", "tribesman", "deputy", "head", "director", "mp", "mna", "mpa", "parliamentarian",
    "politician", "officialdom", "insider", "someone", "person", "people", "authorities", "specialist",
    "participant", "representative", "counterpart", "marcher", "supporter", "worker", "executive", "judge",
    "counsel", "attorney", "economist", "ruler", "strategist", "planner", "militant", "insurgent", "guard",
    "policeman", "jawan", "pilot", "patient", "relative", "mourner", "attendee", "delegate", "delegation",
}
FEMALE_NOUNS = {"woman", "mother", "sister", "daughter", "widow", "wife", "spokeswoman", "chairwoman",
                "congresswoman", "housewife", "businesswoman", "girl", "grandmother", "aunt", "niece"}
MALE_NOUNS = {"man", "father", "brother", "son", "husband", "spokesman", "chairman", "congressman",
              "businessman", "boy", "grandfather", "uncle", "nephew", "tribesman", "policeman"}
#: Nouns for bodies: "it" may point back to them, "he" never does.
ORG_NOUNS = {
    "army", "military", "government", "ministry", "office", "embassy", "consulate", "committee", "panel",
    "council", "party", "command", "force", "forces", "alliance", "coalition", "administration", "department",
    "agency", "cabinet", "parliament", "assembly", "senate", "congress", "wing", "headquarters", "secretariat",
    "presidency", "organisation", "organization", "group", "movement", "mission", "commission", "institute",
    "court", "police", "corps", "navy", "country", "state", "nation", "newspaper", "paper", "channel", "daily",
    "network", "leadership", "establishment", "union", "directorate", "conference", "jamaat", "court",
    "bureau", "service", "high command", "side",
}
#: Words for documents that speak for an issuer: "a statement from X" is X speaking.
DOCUMENT_NOUNS = {"statement", "report", "reports", "communique", "release", "letter", "briefing", "findings",
                  "transcript", "note", "message", "press", "text", "summary", "investigation", "inquiry",
                  "probe", "response", "rejoinder", "reply", "critique", "rebuttal", "readout", "handout",
                  "document", "recommendations", "resolution", "declaration", "notice", "memo", "account",
                  "review", "assessment", "study", "findings", "conclusions", "perspective", "press release",
                  "news release", "answer", "guidelines", "proposals", "draft"}
#: Documents that stand for one another: "the report" may point back to "the US investigation".
DOCUMENT_KINDS = [
    {"statement", "communique", "release", "handout", "readout", "text", "message", "note", "declaration",
     "notice", "letter", "memo", "press", "response", "rejoinder", "reply", "critique", "rebuttal", "perspective",
     "account", "document", "answer"},  # what a body says in its own voice
    {"report", "reports", "findings", "investigation", "inquiry", "probe", "conclusions", "review", "study",
     "assessment", "summary"},  # what an investigation found
    {"recommendations", "resolution", "document", "text", "guidelines", "terms", "proposals", "draft"},
]
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "one", "another", "some", "two", "three",
               "several", "many", "other", "both", "its", "their", "his", "her", "all", "any", "each"}
INDEFINITE = {"a", "an", "one", "another", "some", "several", "two", "three", "many"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}
#: Words that only grade a role noun: "a senior official" is an official.
GRADES = {"senior", "top", "high", "ranking", "high-ranking", "junior", "unnamed", "anonymous", "other", "same",
          "new", "main", "key", "leading", "local"}
#: People nouns that leave a mention naming only the state: "Pakistani officials", "the Pakistanis".
STATE_PEOPLE = {"official", "officials", "authorities", "authority", "leaders", "leader", "side", "sources",
                "source", "pakistanis", "americans", "government", "leadership", "state", "country", "officialdom"}
RELAY = re.compile(r"\b(?:citing|quoting|according to)\s+(?=\S)", re.I)
HEDGES = re.compile(r"\b(?:believed|thought|understood|said to|reported(?:ly)?|expected|alleged(?:ly)?|"
                    r"rumou?red|it (?:is|was|has been)|accounts?|likely|apparently|widely|supposedly)\b", re.I)
QUOTE_MARKS = "\"“”‘’'«»"
TRAILING = re.compile(r"(?:[\s,]+(?:here|today|yesterday|tonight|earlier|later|also|too|"
                      r"on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)))+\s*$", re.I)
ISSUED_BY = re.compile(r"\b(?:from|by|of|issued by)\s+(?=\S)", re.I)
FRONTED_PLACE = re.compile(r"^\W*(?:[Ii]n|[Ff]rom|[Aa]t)\s+(?:the\s+)?([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?)\s*[,:]")
#: Verbs whose object is someone else: "who briefed journalists" is not a journalist.
CONVERSE = {"briefed", "told", "addressed", "met", "meets", "meeting", "informed", "assured", "warned", "asked",
            "to", "with", "by", "for"}
#: Words that open a clause describing what a speaker did (not who they are): "officers who briefed journalists".
CLAUSE_OPENERS = {"who", "whom", "whose", "which", "that", "speaking", "attending", "travelling", "traveling",
                  "briefed", "quoted", "cited", "interviewed", "asked", "having", "after", "when", "while"}

#: The values of ``Claim.speaker_group_source`` (None besides: knowledge is silent).
GROUP_SOURCES = ("gazetteer", "rule", "context")
RELATIVES = {"who", "whose", "which", "whom", "that"}
FIRST_PERSON = {"i", "we", "me", "us", "our", "my"}
#: A transcript's turn label at a paragraph's start: "MR. LITTLE:", "SEN. McCAIN:", "Spokesman:", "Q:".
TURN = re.compile(r"^\s*((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s*:\s+(?=\S)")
TURN_WORDS = {"spokesman", "spokeswoman", "spokesperson", "q", "question", "answer", "a", "moderator"}
QUESTION_LABELS = {"q", "question", "moderator"}
#: People of an event ("the organisers said") speak for the body the article is about.
EVENT_PEOPLE = {"organiser", "organisers", "organizer", "organizers", "participants", "marchers", "speakers",
                "attendees", "crowd"}
#: People who speak for themselves, not for whoever "his"/"its" refers to ("his son", not "his spokesman").
FAMILY = {"son", "sons", "daughter", "daughters", "father", "mother", "brother", "brothers", "sister", "sisters",
          "wife", "husband", "widow", "cousin", "cousins", "uncle", "nephew", "family", "relatives", "relative",
          "children", "child", "friend", "friends", "neighbour", "neighbours", "neighbor", "neighbors", "critics",
          "opponents", "rivals"}
QUANTIFIERS = {"one", "two", "three", "four", "some", "many", "most", "several", "others", "both", "all",
               "each", "few", "another", "other"}


class Resolution(NamedTuple):
    """Who a speaker mention is: the resolved name, its group (or None) and the evidence that decided it."""

    resolved: str
    group: Optional[str]
    source: Optional[str]


@dataclass(frozen=True)
class Decision:
    """A resolved mention: name, group, evidence, and what agreement needs (kind, gender, number).

    ``stage`` says which step of ``knowledge`` decided (person, former, body,
    rule, affiliation, generic); the resolver lets a mention point back to an
    earlier one before the weaker stages speak.
    """

    resolved: str
    group: Optional[str]
    source: Optional[str]
    kind: str = "unknown"  # person, org, state, group, outlet, document, place, unknown
    gender: str = ""
    plural: bool = False
    stage: str = ""

    def resolution(self) -> Resolution:
        return Resolution(self.resolved, self.group, self.source if self.group else None)


# --------------------------------------------------------------------------------------------
# Knowledge on the words of a mention (no article needed)
# --------------------------------------------------------------------------------------------

class _Knowledge:
    """Lookup tables built once per dispute: aliases by first word, side words, non-name words."""

    def __init__(self, dispute: Dispute):
        self.dispute = dispute
        self.by_first: dict[str, list[Alias]] = {}
        for alias in dispute.aliases:
            if alias.words:
                self.by_first.setdefault(alias.words[0], []).append(alias)
        self.generic_first: dict[str, list[Alias]] = {}
        for alias in dispute.generic:
            if alias.words:
                self.generic_first.setdefault(alias.words[0], []).append(alias)
        self.side_of_group: dict[str, str] = {}
        self.sides: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        for aff in dispute.affiliations:
            self.sides[aff.side] = (aff.words, aff.places)
            self.side_of_group.setdefault(aff.group, aff.side)
            for group, _ in aff.split + aff.account:
                self.side_of_group.setdefault(group, aff.side)
        self.entity_nouns: dict[str, set[str]] = {}
        for name, entity in dispute.entities.items():
            self.entity_nouns[name] = set(entity.nouns)
        for alias in dispute.aliases:
            if alias.role and alias.words:
                self.entity_nouns.setdefault(alias.entity, set()).add(alias.words[-1])
        non_name = set(TITLES) | PERSON_NOUNS | ORG_NOUNS | DOCUMENT_NOUNS | DETERMINERS | GRADES
        for alias in dispute.aliases:
            if alias.role or (alias.kind != "person" and alias.cased):
                non_name.update(alias.words)
        for alias in dispute.generic:
            non_name.update(alias.words)
        for words, places in self.sides.values():
            non_name.update(w for p in words | places for w in p.split())
        self.non_name = frozenset(non_name)

    def side(self, group: Optional[str]) -> Optional[str]:
        return self.side_of_group.get(group) if group else None


def _knowledge_of(dispute: Dispute) -> _Knowledge:
    cached = dispute.__dict__.get("_speaker_knowledge")
    if cached is None or cached.dispute is not dispute:
        cached = _Knowledge(dispute)
        dispute.__dict__["_speaker_knowledge"] = cached
    return cached


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    alias: Alias


def _ngrams(lows: list[str], n_max: int = 4) -> list[tuple[int, str]]:
    """``(start, phrase)`` for every 1..n_max-word run of ``lows``."""
    return [(i, " ".join(lows[i:i + n])) for n in range(1, n_max + 1) for i in range(len(lows) - n + 1)]


def _find(table: dict[str, list[Alias]], lows: list[str], origs: list[str], known: _Knowledge,
          guard: bool = True) -> list[_Match]:
    """Alias occurrences in a token list: longest first, overlaps dropped, then in text order."""
    found = []
    for i, low in enumerate(lows):
        for alias in table.get(low, ()):
            n = len(alias.words)
            if tuple(lows[i:i + n]) != alias.words:
                continue
            if alias.cased and all(o == o.lower() for o in origs[i:i + n]):
                continue
            if guard and alias.kind == "person" and not alias.role and n == 1:
                if _named_beside(i, n, lows, origs, known):
                    continue
                title = lows[i - 1] if i else ""
                if (alias.gender == "female" and title in MALE_TITLES | {"mr", "gen", "general", "lt", "maj", "brig"}) or \
                        (alias.gender == "male" and title in FEMALE_TITLES):
                    continue
            found.append(_Match(i, i + n, alias))
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[_Match] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _named_beside(i: int, n: int, lows: list[str], origs: list[str], known: _Knowledge) -> bool:
    """A surname with another capitalised name word beside it names someone else (``Abdul Rehman``)."""
    for j in (i - 1, i + n):
        if 0 <= j < len(lows) and origs[j][:1].isupper() and lows[j] not in known.non_name:
            return True
    return False


def _head_index(lows: list[str]) -> int:
    """The head noun's position, by the usual news-English shape: the last word before a
    preposition, a comma-like break or a relative pronoun (``a spokesman for the embassy``)."""
    stop = len(lows)
    for i, w in enumerate(lows):
        if i and w in ("of", "for", "at", "in", "from", "with", "on", "to", "who", "which", "that", "whose",
                       "and", "or", "but", "including", "citing", "quoting", "according", "travelling",
                       "traveling", "involved", "familiar", "speaking", "briefed", "close", "attending"):
            stop = i
            break
    return max(stop - 1, 0)


def _noun_kind(head: str) -> tuple[str, str, bool]:
    """(kind, gender, plural) from a head noun alone."""
    singular = head[:-1] if head.endswith("s") and not head.endswith("ss") and head[:-1] in PERSON_NOUNS | ORG_NOUNS else head
    plural = singular != head or head in ("people", "authorities", "forces", "police", "headquarters")
    if singular in PERSON_NOUNS or head in PERSON_NOUNS:
        gender = "female" if singular in FEMALE_NOUNS else "male" if singular in MALE_NOUNS else ""
        return "person", gender, plural and head not in ("police",)
    if singular in DOCUMENT_NOUNS or head in DOCUMENT_NOUNS:
        return "document", "", False
    if singular in ORG_NOUNS or head in ORG_NOUNS:
        return "org", "", False
    return "unknown", "", False


def _coordinated(lows: list[str]) -> bool:
    """Two speakers joined in one noun phrase (``US and Pakistani officials``), not inside a
    prepositional phrase (``the commander of US and NATO forces``)."""
    for i, w in enumerate(lows):
        if w in ("of", "for", "at", "in", "from", "with", "on", "to", "by"):
            return False
        if i and w in ("and", "&"):
            return True
    return False


def _clean(text: str) -> str:
    """``The US officials`` -> ``US officials``: the mention without its leading determiner."""
    words = text.strip().strip(",;:").split()
    while words and words[0].lower() in DETERMINERS - {"two", "three", "several", "many", "both"}:
        words = words[1:]
    return " ".join(words)


def _rule_fires(word_sets: list[frozenset[str]], grams: set[str]) -> bool:
    return all(ws & grams for ws in word_sets)



def _segments(mention: str) -> tuple[list[str], list[str]]:
    """(noun phrases, clauses) of a mention: the core and its appositives (split at commas), and the
    relative or participial clauses cut from them (``a housewife who joined the protest``)."""
    phrases, clauses = [], []
    in_clause = False
    for piece in re.split(r"[,;(){}\[\]]|\s[–—-]\s", mention):
        if not piece.strip():
            continue
        if in_clause:  # the rest of a clause, after a comma inside it
            clauses[-1] += ", " + piece.strip()
            continue
        toks = name_token_spans(piece)
        cut = next((t[2] for i, t in enumerate(toks) if t[0] in CLAUSE_OPENERS and (i or phrases)), None)
        if cut is None:
            phrases.append(piece.strip())
        else:
            if piece[:cut].strip():
                phrases.append(piece[:cut].strip())
            clauses.append(piece[cut:].strip())
            in_clause = True
    return phrases, clauses


def knowledge(mention: str, dispute: Dispute, claim: str = "") -> Optional[Decision]:
    """What the dispute's knowledge says about a mention's words alone; None when it is silent.

    A person's name anywhere in the mention's noun phrases wins. Then, on the
    core noun phrase (then each appositive): ``former``/``retired`` (a
    commentator now); a head noun that is a class of speaker (``analyst``,
    ``villager``); the leftmost known body or role (not one that a nationality
    of another side precedes: ``the Indian army chief``); the speaker rules;
    the side of the first nationality, institution or place word (``split``
    and the state's ``account`` applied, ``claim`` being the claim's words);
    the generic nouns. A relative clause (``who studied the Pakistani
    military``) says what a speaker did, so only the class rules read it.
    """
    relay = list(RELAY.finditer(mention))
    if relay:  # "an earlier Journal report citing U.S. officials": the innermost source speaks
        inner = knowledge(mention[relay[-1].end():], dispute, claim)
        if inner is not None:
            return inner
    phrases, clauses = _segments(mention)
    if not phrases and not clauses:
        return None
    core = phrases[0] if phrases else ""
    cleaned = _clean(mention)
    known = _knowledge_of(dispute)
    for n, phrase in enumerate(phrases):
        toks = name_tokens(phrase)
        lows, origs = [t[0] for t in toks], [t[1] for t in toks]
        people = [m for m in _find(known.by_first, lows, origs, known) if m.alias.kind == "person" and not m.alias.role]
        if people:
            m = people[0]
            entity = dispute.entities.get(m.alias.entity)
            e_gender = entity.gender if entity else m.alias.gender
            core_lows = list(tokenize_name(core))
            head = core_lows[_head_index(core_lows)] if core_lows else ""
            head_kind, head_gender, head_plural = _noun_kind(head)
            coordinated = "and" in lows[1:] and len(people) > 1
            if coordinated:  # "Secretary of State Hillary Clinton and Defense Secretary Leon Panetta"
                return Decision(cleaned, m.alias.group, "gazetteer", "person", "", True, "person")
            if n == 0 and head not in m.alias.words and head_kind != "unknown":
                # the person only places the head: "Karzai's spokesman", "a spokesman for Imran Khan"
                return Decision(cleaned, m.alias.group, "rule", head_kind, head_gender, head_plural, "person")
            if n > 0 and head_plural:  # "American diplomats, including the ambassador, Cameron Munter"
                return Decision(cleaned, m.alias.group, "rule", "person", "", True, "person")
            return Decision(m.alias.entity, m.alias.group, "gazetteer", "person", e_gender, False, "person")
    for phrase in phrases:
        found = _stages(phrase, dispute, known, claim, cleaned)
        if found is not None:
            return found
    empty_core = not phrases or all(w in DETERMINERS | QUANTIFIERS | {"those", "these"} for w in tokenize_name(core))
    for clause in clauses:
        found = _stages(clause, dispute, known, "", cleaned, classes_only=not empty_core)
        if found is not None:
            return replace(found, kind="person" if found.kind == "unknown" else found.kind)
    return None


def _stages(phrase: str, dispute: Dispute, known: _Knowledge, claim: str, cleaned: str,
            classes_only: bool = False) -> Optional[Decision]:
    toks = name_tokens(phrase)
    lows, origs = [t[0] for t in toks], [t[1] for t in toks]
    content = [w for w in lows if w not in DETERMINERS]
    if not content:
        return None
    head = _head_index(lows)
    kind, gender, plural = _noun_kind(lows[head])
    grams = {g for _, g in _ngrams(lows)}
    head_grams = {g for start, g in _ngrams(lows) if start + len(g.split()) - 1 == head}
    coordinated = _coordinated(lows)
    rules = dispute.speaker_rules
    as_person = kind if kind != "unknown" else "person"

    for i, (group, word_sets) in enumerate(rules):
        if i in dispute.before_bodies_rules and _rule_fires(word_sets, grams):
            return Decision(cleaned, group, "rule", as_person, gender, plural, "former")
    matches = _find(known.by_first, lows, origs, known)
    head_named = any(m.start <= head < m.end for m in matches)
    for i, (group, word_sets) in enumerate(rules):  # the head says what the speaker is: "a Washington analyst"
        if i not in dispute.before_bodies_rules and len(word_sets) == 1 and word_sets[0] & head_grams \
                and not head_named:
            return Decision(cleaned, group, "rule", as_person, gender, plural, "rule")
    if classes_only:  # what a clause says the speaker is or does, in its first words
        for start, gram in sorted(_ngrams(lows[:7])):
            if start and lows[start - 1] in CONVERSE:
                continue
            for i, (group, word_sets) in enumerate(rules):
                if i not in dispute.unaffiliated_rules and len(word_sets) == 1 and gram in word_sets[0]:
                    return Decision(cleaned, group, "rule", as_person, gender, plural, "rule")
        return None

    def side_words(with_places: bool) -> list[tuple[int, str]]:
        out = []
        for start, gram in _ngrams(lows):
            for side, (words, places) in known.sides.items():
                if gram in words or (with_places and gram in places):
                    out.append((start, side))
        return sorted(out)

    sides, named = side_words(True), side_words(False)
    if kind == "document":  # after the head, only "from/by/of X" names the issuer; the rest is the topic
        by = next((i for i in range(head + 1, len(lows)) if lows[i] in ("from", "by", "of")), None)
        cut_from = head + 1 if by is None else None
        if cut_from is not None:
            matches = [m for m in matches if m.start < cut_from]
            sides = [x for x in sides if x[0] < cut_from]
            named = [x for x in named if x[0] < cut_from]
    bodies = []
    for m in matches:
        side = known.side(m.alias.group)
        if side and any(s != side and start < m.start for start, s in named):
            continue  # "the Indian army chief", "British Parliament": another side's body
        bodies.append(m)
    if bodies:
        if coordinated:
            named_sides = {known.side(m.alias.group) for m in bodies} | {
                s for start, s in named if not any(m.start <= start < m.end for m in bodies)}
            if len({s for s in named_sides if s}) > 1:
                return Decision(cleaned, dispute.unattributed_group, "rule", kind, "", True, "rule")
        m = bodies[0]
        entity = dispute.entities.get(m.alias.entity)
        e_kind = entity.kind if entity else m.alias.kind
        e_gender = entity.gender if entity else m.alias.gender
        indefinite = lows[0] in INDEFINITE
        if (m.start <= head < m.end or kind == "unknown") and not (indefinite and m.alias.role):
            return Decision(m.alias.entity, m.alias.group, "gazetteer", e_kind, e_gender, e_kind == "group", "body")
        # the body only places the head, a role noun: "US officials", "a Pentagon spokesman" (a rule, as
        # "a senior Pakistani military official" is: the words say the side, no known entity speaks)
        return Decision(cleaned, m.alias.group, "rule", kind if kind != "unknown" else e_kind,
                        gender or (e_gender if m.alias.role else ""), plural or coordinated, "body")

    generic = _find(known.generic_first, lows, origs, known, guard=False)
    affiliated = bool(named) or bool(generic)
    for i, (group, word_sets) in enumerate(rules):
        if i in dispute.before_bodies_rules or (i in dispute.unaffiliated_rules and affiliated):
            continue
        if _rule_fires(word_sets, grams):
            return Decision(cleaned, group, "rule", as_person, gender, plural, "rule")

    if sides:
        if coordinated and len({s for _, s in named}) > 1:
            return Decision(cleaned, dispute.unattributed_group, "rule", kind, "", True, "rule")
        side = sides[0][1]
        aff = next(a for a in dispute.affiliations if a.side == side)
        group, source = aff.group, "rule"
        for split_group, words in aff.split:
            if words & grams:
                group = split_group
                break
        else:
            state_only = all(w in STATE_PEOPLE or w in GRADES or w in DETERMINERS or
                             any(w in p.split() for p in aff.words | aff.places) for w in lows)
            if state_only and claim:
                claim_grams = {g for _, g in _ngrams(list(tokenize_name(claim)))}
                for account_group, words in aff.account:
                    if words & claim_grams:
                        group, source = account_group, "context"
                        break
        if kind == "unknown":
            kind = "state" if lows[head] not in STATE_PEOPLE else "person"
            plural = plural or lows[head].endswith("s")
        return Decision(cleaned, group, source, kind, gender, plural, "affiliation")

    if generic:
        g = generic[0]
        g_kind = kind if kind != "unknown" else _noun_kind(g.alias.words[-1])[0]
        return Decision(cleaned, g.alias.group, "rule", g_kind, gender, plural, "generic")
    return None


def resolve_mention(speaker: str, dispute: Dispute, claim: str = "") -> Resolution:
    """Who ``speaker`` is from its words alone (a record with no article): gazetteer, then rules.

    An empty mention is unattributed by rule; a mention knowledge does not
    place gets group None (the caller's fallback, or a learned head, decides).
    """
    if not speaker.strip():
        return Resolution("", dispute.unattributed_group, "rule")
    words = [w for w in tokenize_name(speaker) if w not in DETERMINERS]
    if len(words) == 1 and words[0] in PRONOUNS:
        return Resolution(speaker, None, None)
    found = knowledge(speaker, dispute, claim)
    return found.resolution() if found else Resolution(_clean(speaker), None, None)


def match_alias(mention: str, aliases: list[Alias]) -> Optional[Alias]:
    """The longest alias whose words appear contiguously in ``mention`` (no case or name guards)."""
    words = tokenize_name(mention)
    best = None
    for alias in aliases:
        n = len(alias.words)
        if n and any(words[i:i + n] == alias.words for i in range(len(words) - n + 1)):
            if best is None or (n, len(" ".join(alias.words))) > (len(best.words), len(" ".join(best.words))):
                best = alias
    return best


def gazetteer_group(mention: str, dispute: Dispute) -> Optional[str]:
    """Group of a speaker mention from the configuration alone; None when unknown."""
    if not mention.strip():
        return None
    return resolve_mention(mention, dispute).group


def canonical_name(mention: str, dispute: Dispute) -> str:
    """``Gen John Allen`` -> ``John Allen``; unknown mentions lose their determiner."""
    found = knowledge(mention, dispute)
    return found.resolved if found and found.source == "gazetteer" else _clean(mention)


# --------------------------------------------------------------------------------------------
# The article: mentions, salience, resolution
# --------------------------------------------------------------------------------------------

@dataclass
class _Mention:
    """Something named in the article that a later mention may point back to."""

    start: int
    end: int
    text: str
    para: int
    sent: int
    kind: str = "unknown"
    gender: str = ""
    plural: bool = False
    head: str = ""
    subject: bool = False
    in_quote: bool = False
    speaker: bool = False
    issuer: Optional[Span] = None  # for a document: the span of who issued it
    entity: Optional[str] = None


def _narrow_source(text: str, span: Span) -> Span:
    """``a statement from the US embassy here`` -> ``the US embassy``; trims adverbs."""
    start, end = span
    mention = text[start:end]
    words = [w.lower().strip(",.") for w in mention.split()]
    match = ISSUED_BY.search(mention)
    if match and any(w in DOCUMENT_NOUNS for w in words[:4]) and not words[0] in DOCUMENT_NOUNS - {"press"}:
        start += match.end()
    elif match and words and words[0] in {"a", "an", "the"} and len(words) > 1 and words[1] in DOCUMENT_NOUNS:
        start += match.end()
    mention = text[start:end]
    trailing = TRAILING.search(mention)
    if trailing and trailing.start() > 0:
        end = start + trailing.start()
    mention = text[start:end]
    end = start + len(mention.rstrip(" ,;:"))
    return start, end


def _is_subject(token) -> bool:
    for _ in range(4):
        if token.dep_ in ("nsubj", "nsubjpass"):
            return True
        if token.dep_ in ("compound", "flat", "appos", "amod", "nmod", "poss", "conj") and token.head is not token:
            token = token.head
            continue
        return False
    return False


class SpeakerResolver:
    """Resolves the speakers of one article, in reading order.

    Mentions come from spaCy's entities, the gazetteer's names found in the
    text, and noun phrases headed by a person, body or document noun; each
    keeps its sentence, whether it is a subject, whether it stands inside a
    quote, and (once it speaks) that it is a speaker. Decisions are memoised
    by span, so a mention resolved once (a speaker) is what later pronouns
    and definite descriptions inherit.
    """

    def __init__(self, document: Document, paragraphs: list[Paragraph], dispute: Dispute):
        from .claims.quotes import find_quotes

        self.document = document
        self.text = document.text
        self.dispute = dispute
        self.known = _knowledge_of(dispute)
        self.paragraphs = paragraphs
        self.paragraph_starts = [p.start for p in paragraphs]
        self.sentences: list[Span] = []
        self.quotes: list[Span] = []
        self.mentions: list[_Mention] = []
        self.memo: dict[Span, Decision] = {}
        self.speakers: list[tuple[int, Span, Decision]] = []  # (sentence start, mention span, decision)
        self.turns: list[tuple[int, Span]] = []  # (paragraph index, label span) of a transcript's turns
        for p_index, paragraph in enumerate(paragraphs):
            # the label may stand before the body block on its line (the reader leaves "MR. LITTLE:" out)
            line_start = self.text.rfind("\n", 0, paragraph.start) + 1
            line = self.text[line_start:paragraph.start + len(paragraph.doc.text)]
            turn = TURN.match(line)
            if turn and self._is_turn(turn.group(1)):
                self.turns.append((p_index, (line_start + turn.start(1), line_start + turn.end(1))))
            self.quotes += [paragraph.span(q.start, q.end) for q in find_quotes(paragraph.doc.text)]
            first_sentence = len(self.sentences)
            for sent in paragraph.doc.sents:
                self.sentences.append(paragraph.span(sent.start_char, sent.end_char))
            self._collect(paragraph, p_index, first_sentence)
        self.sentence_starts = [s for s, _ in self.sentences]
        self.mentions.sort(key=lambda m: (m.start, -m.end))

    # --- building the mention list ---

    def _is_turn(self, label: str) -> bool:
        """A speaker's label (``MR. LITTLE``, ``SEN. McCAIN``, ``Spokesman``, ``Q``), not a dateline
        (``ISLAMABAD``): a question label, a title, or a person the gazetteer knows, set in capitals."""
        if label.lower() in TURN_WORDS:
            return True
        letters = [c for c in label if c.isalpha()]
        if len(letters) < 2 or sum(c.isupper() for c in letters) < 0.6 * len(letters):
            return False
        words = tokenize_name(label)
        if words and words[0] in TITLES:
            return True
        found = knowledge(label, self.dispute)
        return bool(found and found.kind == "person" and found.source == "gazetteer")

    def turn_at(self, offset: int) -> Optional[Decision]:
        """Who holds the floor in a transcript at ``offset``: the last turn label at or before its
        paragraph (``MR. LITTLE:`` -> George Little; ``Spokesman:`` -> the spokesman named above)."""
        here = self.paragraph_of(offset)
        label = next((span for p, span in reversed(self.turns) if p <= here), None)
        if label is None:
            return None
        words = tokenize_name(self.text[label[0]:label[1]])
        if len(words) == 1 and words[0] in QUESTION_LABELS:
            return Decision("reporter", None, None, "person")
        if len(words) == 1 and words[0] in PERSON_NOUNS:  # "Spokesman:": the spokesman named above
            nominal = self._nominal(label[0], list(words), words[0], "person", None)
            if nominal is not None:
                return nominal
        return self.decide(*label)

    def _sentence_of(self, offset: int) -> int:
        return max(bisect_right([s for s, _ in self.sentences], offset) - 1, 0)

    def paragraph_of(self, offset: int) -> int:
        return max(bisect_right(self.paragraph_starts, offset) - 1, 0)

    def _inside_quote(self, start: int, end: int) -> bool:
        return any(qs < start and end < qe for qs, qe in self.quotes)

    def _add(self, paragraph: Paragraph, p_index: int, start_char: int, end_char: int, **kw) -> Optional[_Mention]:
        start, end = paragraph.span(start_char, end_char)
        text = self.text[start:end]
        if not text.strip():
            return None
        m = _Mention(start, end, text, p_index, self._sentence_of(start), **kw)
        m.in_quote = self._inside_quote(start, end)
        self.mentions.append(m)
        return m

    def _collect(self, paragraph: Paragraph, p_index: int, first_sentence: int) -> None:
        doc = paragraph.doc
        dispute, known = self.dispute, self.known
        taken: set[tuple[int, int]] = set()
        # 1. the gazetteer's names and roles, anywhere in the text
        toks = name_token_spans(doc.text)
        lows, origs = [t[0] for t in toks], [t[1] for t in toks]
        for m in _find(known.by_first, lows, origs, known):
            s, e = toks[m.start][2], toks[m.end - 1][3]
            if m.alias.role and m.start > 0 and lows[m.start - 1] in INDEFINITE:
                continue
            entity = dispute.entities.get(m.alias.entity)
            span = doc.char_span(s, e, alignment_mode="expand")
            mention = self._add(paragraph, p_index, s, e, kind=entity.kind if entity else m.alias.kind,
                                gender=entity.gender if entity else m.alias.gender,
                                plural=bool(entity and entity.plural), head=lows[m.end - 1],
                                subject=bool(span is not None and _is_subject(span.root)), entity=m.alias.entity)
            if mention:
                taken.add((s, e))
        # 2. spaCy's named entities
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP") or (ent.start_char, ent.end_char) in taken:
                continue
            words = tokenize_name(ent.text)
            if not words or any(ch.isdigit() for ch in ent.text):
                continue
            if ent.label_ == "PERSON":
                kind, plural = "person", False
            elif ent.label_ == "NORP":
                if not ent.text.rstrip().endswith("s"):
                    continue  # "Pakistani" as an adjective refers to nobody
                kind, plural = "group", True
            elif ent.label_ == "GPE":
                grams = {g for _, g in _ngrams(list(words))}
                if not any(grams & side_words for side_words, _ in known.sides.values()):
                    continue  # a place ("Mohmand", "Salala") never speaks; a country may ("Pakistan said it")
                kind, plural = "state", False
            else:
                kind, plural = "org", False
            gender = self._gender_of(ent.text) if kind == "person" else ""
            self._add(paragraph, p_index, ent.start_char, ent.end_char, kind=kind, gender=gender, plural=plural,
                      head=words[-1], subject=_is_subject(ent.root))
        # 3. noun phrases headed by a person, body or document noun ("a senior Pakistani military official")
        for token in doc:
            if token.pos_ not in ("NOUN", "PROPN") or token.dep_ == "compound":
                continue
            low = token.lower_
            kind, gender, plural = _noun_kind(low)
            if kind == "unknown":
                continue
            left = [t for t in token.lefts if t.dep_ in ("det", "amod", "compound", "poss", "nummod", "nmod",
                                                          "quantmod", "npadvmod")]
            start = min([t.left_edge.idx for t in left] + [token.idx])
            end = token.idx + len(token.text)
            for child in token.rights:
                if child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "from", "in", "with", "on", "by") \
                        and child.i - token.i <= 2:
                    end = max(end, child.right_edge.idx + len(child.right_edge.text))
                    break
            if doc[token.i].i - doc.char_span(start, end, alignment_mode="expand").start > 12:
                continue
            issuer = None
            if kind == "document":
                issuer = self._issuer(token, paragraph)
                plural = token.tag_ in ("NNS", "NNPS")
            self._add(paragraph, p_index, start, end, kind=kind, gender=gender, plural=plural, head=low,
                      subject=_is_subject(token), issuer=issuer)

    def _issuer(self, token, paragraph: Paragraph) -> Optional[Span]:
        """Who issued a document noun: its possessor or compound (``the army's response``, ``the ISPR
        statement``), ``from``/``by``/``of`` X, or the subject of the verb it hangs on (``X said in a
        statement``, ``X released its report``)."""
        def span_of(t) -> Span:
            left = t.left_edge
            return paragraph.span(left.idx, t.idx + len(t.text))

        pronoun = None
        for child in token.lefts:
            if child.dep_ in ("poss", "compound") and child.pos_ in ("PROPN", "NOUN", "PRON") and \
                    child.lower_ not in DOCUMENT_NOUNS:
                if child.pos_ == "PRON":
                    pronoun = span_of(child)
                    continue
                return span_of(child)
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects and objects[0].lower_ not in DOCUMENT_NOUNS:
                    return span_of(objects[0])
            if child.dep_ in ("acl", "relcl"):  # "a press release issued by ISPR", "released by the media wing"
                agents = [g for c in child.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                if agents:
                    return span_of(agents[0])
        node = token
        for _ in range(4):
            if node.dep_ in ("dobj", "pobj", "prep", "nsubjpass", "attr", "npadvmod") and node.head is not node:
                node = node.head
                if node.pos_ in ("VERB", "AUX"):
                    subjects = [c for c in node.children if c.dep_ == "nsubj"]
                    if subjects and subjects[0].i != token.i:
                        return span_of(subjects[0])
                    agents = [g for c in node.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                    if agents:
                        return span_of(agents[0])
                continue
            break
        return pronoun

    def _gender_of(self, text: str) -> str:
        toks = name_tokens(text)
        if not toks:
            return ""
        first = toks[0][0]
        if first in FEMALE_TITLES:
            return "female"
        if first in MALE_TITLES:
            return "male"
        if any(t[0] in self.dispute.female_names for t in toks[:2]):
            return "female"
        found = _find(self.known.by_first, [t[0] for t in toks], [t[1] for t in toks], self.known)
        for m in found:
            if m.alias.kind == "person" and not m.alias.role:
                entity = self.dispute.entities.get(m.alias.entity)
                return entity.gender if entity else m.alias.gender
        return ""

    # --- deciding a mention ---

    def mention_at(self, start: int, end: int) -> Optional[_Mention]:
        exact = [m for m in self.mentions if m.start == start and m.end == end]
        return exact[0] if exact else None

    def decide(self, start: int, end: int, claim: str = "", claim_span: Optional[Span] = None) -> Decision:
        """The decision for the mention at ``[start, end)`` (memoised by span)."""
        key = (start, end)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = Decision(self.text[start:end], None, None)  # guards against cycles
        decision = self._decide(start, end, claim, claim_span)
        self.memo[key] = decision
        return decision

    def _decide(self, start: int, end: int, claim: str, claim_span: Optional[Span]) -> Decision:
        text = self.text[start:end]
        toks = name_tokens(text)
        lows = [t[0] for t in toks]
        if lows and lows[0] in RELATIVES and len(lows) <= 3:
            # "whose leaders", "who": the noun the relative clause hangs on
            found = self._relative_head(start)
            if found is not None:
                return found
        partitive = re.match(r"^\s*(?:one|two|three|some|many|most|several|all|each|none|both|either|neither|"
                             r"few|a few|others|the others)\s+of\s+", text, re.I)
        if partitive:  # "one of them", "one of the officers": the group named after "of"
            inner = self.decide(start + partitive.end(), end, claim, claim_span)
            if inner.group:
                return replace(inner, resolved=_clean(text), plural=False)
        content = [w for w in lows if w not in DETERMINERS or w in POSSESSIVES]
        if not content or all(w in QUANTIFIERS for w in content):
            if lows and all(w in DETERMINERS | QUANTIFIERS for w in lows) and lows[-1] in QUANTIFIERS | {"two", "both", "some", "one", "another", "others", "many", "several", "three", "other"}:
                # "One said", "The two agreed", "Some urged": members of the last group named
                found = self._antecedent(start, "they", claim_span)
                if found is not None and found.group:
                    return replace(found, resolved=_clean(text) or text.strip(), plural=lows[-1] != "one")
            return Decision(text.strip(), None, None)
        here = self.mention_at(start, end)
        if len(content) == 1 and content[0] in FIRST_PERSON and not any(
                o.isupper() and len(o) > 1 for low, o in toks if low == content[0]):  # "US" is not "us"
            # "I", "we": who holds the floor (a transcript's turn), else the previous quote's speaker
            found = self.turn_at(start)
            if found is None or not found.group:
                sentence = self.sentences[self._sentence_of(start)]
                found = self.continuation(sentence)
            if found is not None and found.group:
                return replace(found, stage="resolved")
            return Decision(text, None, None, "person")
        # a pronoun: the most salient earlier mention that agrees
        if len(content) == 1 and content[0] in PRONOUNS:
            found = self._antecedent(start, content[0], claim_span)
            if found is not None:
                return found
            return Decision(text, None, None, "person" if content[0] in MALE | FEMALE else "unknown",
                            "male" if content[0] in MALE else "female" if content[0] in FEMALE else "",
                            content[0] in PLURAL)
        # a relayed source: the innermost one speaks
        relay = list(RELAY.finditer(text))
        if relay:
            inner_start = start + relay[-1].end()
            inner = self.decide(inner_start, end, claim)
            if inner.group:
                return inner
        # "his investigation", "its statement", "their report": the possessor's
        if lows[0] in POSSESSIVES and len(content) > 1:
            head = lows[_head_index(lows)]
            owner = self._antecedent(start, lows[0], claim_span)
            if owner is not None and owner.group:
                kind, gender, plural = _noun_kind(head)
                if kind in ("document", "org") or (kind == "person" and head not in FAMILY):
                    return replace(owner, resolved=owner.resolved if kind == "document" else _clean(text),
                                   kind=kind, gender=gender or owner.gender, stage="resolved")
        # a surname alone: someone of that name named earlier in the article
        proper = [o for o in (t[1] for t in toks) if o[:1].isupper()]
        if len(content) <= 2 and proper and len(proper) == len([w for w in lows if w not in DETERMINERS]) \
                and not any(w in PERSON_NOUNS | ORG_NOUNS for w in lows):
            local = self._same_name(start, lows)
            if local is not None:
                return local
        found = knowledge(text, self.dispute, claim)
        if found and found.stage in ("person", "former", "body"):
            return found
        head = lows[_head_index(lows)]
        definite = lows[0] in DEFINITE or (here is not None and here.kind == "document")
        head_kind = _noun_kind(head)[0]
        if head_kind == "document":  # its issuer in the parse, else the document it points back to
            issuer = self._own_issuer(start, end)
            if issuer is not None:
                return issuer
        if head_kind == "document" or (definite and head_kind in ("person", "org")):
            nominal = self._nominal(start, lows, head, head_kind, found)
            if nominal is not None:
                return nominal
        if head_kind == "document":
            issuer = self._document_issuer(start, end, found)
            if issuer is not None:
                return issuer
        if found:
            return found
        apposed, clause = self._description(start, end)
        for part, full in ((apposed, True), (clause, False)):
            if not part:
                continue
            described = knowledge(part, self.dispute, claim) if full else \
                _stages(part, self.dispute, self.known, "", _clean(text), classes_only=True)
            if described and described.group:
                return replace(described, resolved=_clean(text), kind=described.kind if described.kind not in
                               ("unknown", "state", "org") else "person" if head_kind != "org" else "org",
                               stage="described")
        return self._context(start, end, text, head_kind, claim_span)

    def _relative_head(self, start: int) -> Optional[Decision]:
        """The mention a relative pronoun stands for: the nearest body or people before it in its sentence."""
        sent = self._sentence_of(start)
        before = [m for m in self.mentions if m.sent == sent and m.end <= start and start - m.end <= 40
                  and m.kind in ("person", "org", "group", "state")]
        for m in sorted(before, key=lambda m: (-m.end, m.start)):
            decision = self.decide(m.start, m.end)
            if decision.group:
                return replace(decision, stage="resolved")
        return None

    def _antecedent(self, start: int, pronoun: str, claim_span: Optional[Span]) -> Optional[Decision]:
        """The most salient earlier mention that agrees with ``pronoun``.

        Sentences are searched backwards from the pronoun's own (what lies
        inside the claim it introduces is skipped: ``"Kayani is wrong," he
        said`` is not Kayani), up to three paragraphs back; within a sentence,
        speakers first, then subjects, then other mentions outside quotes, then
        mentions inside quotes, each left to right.
        """
        here_para = self.paragraph_of(start)
        here_sent = self._sentence_of(start)

        def agrees(m: _Mention, strict_gender: bool) -> bool:
            kind = m.kind
            if pronoun in MALE | FEMALE:
                if kind != "person" or m.plural:
                    return False
                if pronoun in MALE:
                    return m.gender != "female"
                return m.gender == "female" if strict_gender else m.gender != "male"
            if pronoun in PLURAL:
                return (m.plural or kind == "group") if strict_gender else kind in ("org", "state", "group")
            return kind in ("org", "state", "outlet", "document") and not m.plural and (m.speaker or m.subject or kind == "document")

        for strict, quoted in ((True, False), (False, False), (True, True), (False, True)):
            if not strict and (pronoun in MALE or pronoun in NEUTER):
                continue
            if pronoun in PLURAL and not strict:
                window = 1
            else:
                window = 3
            for sent in range(here_sent, -1, -1):
                candidates = [m for m in self.mentions if m.sent == sent and m.start < start
                              and not (claim_span and claim_span[0] <= m.start < claim_span[1])
                              and here_para - m.para <= window and not (m.start <= start < m.end)]
                if not candidates:
                    if sent < len(self.sentences) and here_para - self.paragraph_of(self.sentences[sent][0]) > window:
                        break
                    continue
                candidates = [m for m in candidates if agrees(m, strict) and (quoted or not m.in_quote or m.speaker)]
                if not candidates:
                    continue
                candidates.sort(key=lambda m: (0 if m.speaker and not m.in_quote else 1 if m.subject and not m.in_quote
                                               else 2 if not m.in_quote else 3, m.start))
                decisions = [self.decide(m.start, m.end) for m in candidates]
                for decision in decisions:
                    if decision.group:
                        return replace(decision, stage="resolved")
                return decisions[0]  # someone the article does not place: still who "he" is
        return None

    def _same_name(self, start: int, lows: list[str]) -> Optional[Decision]:
        names = {w for w in lows if w not in TITLES and w not in DETERMINERS}
        if not names:
            return None
        for m in sorted((m for m in self.mentions if m.end <= start and m.kind == "person"), key=lambda m: -m.start):
            words = set(tokenize_name(m.text))
            if names <= words and len(words) > len(names):
                decision = self.decide(m.start, m.end)
                if decision.group:
                    return replace(decision, stage="resolved")
        return None

    def _bag(self, m: _Mention) -> set[str]:
        """The words a definite description may use for ``m``: its own, title nouns (``Gen`` ->
        ``general``), singulars, and its entity's nouns and role heads (``the army chief`` -> ``chief``)."""
        words = set(tokenize_name(m.text))
        words |= {TITLE_NOUNS.get(w, w) for w in words}
        words |= {w[:-1] for w in words if w.endswith("s")}
        entity = m.entity or self.decide(m.start, m.end).resolved
        for noun in self.known.entity_nouns.get(entity, ()):
            words.update(noun.split())
        return words

    def _nominal(self, start: int, lows: list[str], head: str, head_kind: str,
                 found: Optional[Decision]) -> Optional[Decision]:
        """A definite description's antecedent: the nearest earlier mention whose words hold the
        description's (``the official`` <- ``a senior Pakistani military official``, ``the general`` <-
        ``Maj Gen Athar Abbas``), or for a document the nearest one of its kind (``the report`` <- ``the
        US investigation``); its side must agree with the description's own words."""
        side = self.known.side(found.group) if found and found.group else None
        if head_kind == "document":
            family = set().union(*[k for k in DOCUMENT_KINDS if head in k]) or {head}
            needed: set[str] = set()
        else:
            family = set()
            side_words = {p for words, places in self.known.sides.values() for p in words | places if " " not in p}
            needed = {TITLE_NOUNS.get(w, w) for w in lows if w not in DETERMINERS and w not in GRADES
                      and w not in side_words}
            needed = {w[:-1] if w.endswith("s") and w[:-1] in PERSON_NOUNS | ORG_NOUNS else w for w in needed}
            if not needed:
                return None
        for m in sorted((m for m in self.mentions if m.end <= start), key=lambda m: -m.start):
            if m.in_quote and not m.speaker:
                continue
            if head_kind == "document":
                if not (m.kind == "document" and TITLE_NOUNS.get(m.head, m.head) in family) and \
                        not (m.entity and family & self.known.entity_nouns.get(m.entity, set())):
                    continue
            elif m.kind not in ("person", "org", "group", "state") or not needed <= self._bag(m):
                continue
            decision = self.decide(m.start, m.end)
            if not decision.group:
                continue
            if side and self.known.side(decision.group) != side:
                continue
            return replace(decision, stage="resolved")
        return None

    def _own_issuer(self, start: int, end: int) -> Optional[Decision]:
        """The issuer the parse gives a document mention (``the ISPR statement``, ``a press release
        issued by ISPR``, ``X said in a statement``)."""
        here = self.mention_at(start, end) or next(
            (m for m in self.mentions if m.kind == "document" and (m.start <= start and end <= m.end or
                                                                  start <= m.start and m.end <= end)), None)
        if here is not None and here.issuer is not None:
            issuer = self.decide(*here.issuer)
            if issuer.group:
                return replace(issuer, kind="document", stage="resolved")
        return None

    def _document_issuer(self, start: int, end: int, found: Optional[Decision]) -> Optional[Decision]:
        """``the statement`` with no issuer of its own: a document named just before (any kind), else the
        last body that spoke, or was the subject of a sentence, nearby."""
        here_para = self.paragraph_of(start)
        side = self.known.side(found.group) if found and found.group else None
        for m in sorted((m for m in self.mentions if m.end <= start and here_para - m.para <= 2), key=lambda m: -m.start):
            if m.kind == "document" and m.issuer is not None and not m.in_quote:
                issuer = self.decide(*m.issuer)
                if issuer.group and (not side or self.known.side(issuer.group) == side):
                    return replace(issuer, kind="document", stage="resolved")
        for m in sorted((m for m in self.mentions if m.end <= start and here_para - m.para <= 2), key=lambda m: -m.start):
            if m.kind in ("org", "state", "group") and (m.speaker or m.subject) and not m.in_quote:
                issuer = self.decide(m.start, m.end)
                if issuer.group and issuer.group != self.dispute.unattributed_group and \
                        (not side or self.known.side(issuer.group) == side):
                    return replace(issuer, kind="document", stage="resolved")
        return None

    def _description(self, start: int, end: int) -> tuple[str, str]:
        """What the parse says about a mention beyond its words: (its appositive, the modifiers before
        it or the phrase it is in apposition to: ``Hasan Askari, a political analyst,``, ``Pakistani
        analyst Hasan Askari``; the relative clause after it: ``who studied the army for a decade``)."""
        p = self.paragraph_of(start)
        if p >= len(self.paragraphs):
            return "", ""
        paragraph = self.paragraphs[p]
        span = paragraph.doc.char_span(start - paragraph.start, end - paragraph.start, alignment_mode="expand")
        if span is None or not len(span):
            return "", ""
        root = span.root
        doc = paragraph.doc
        apposed, clauses = [], []

        def noun_phrase(t) -> str:
            """``t``'s own noun phrase: its subtree less its clauses and appositives."""
            drop = [c for c in t.rights if c.dep_ in ("relcl", "acl", "appos", "punct", "advcl", "conj", "cc")]
            end = min([c.left_edge.i for c in drop] + [t.right_edge.i + 1])
            return doc[t.left_edge.i:max(end, t.i + 1)].text

        def relative(t) -> None:
            for c in t.rights:
                if c.dep_ == "relcl":
                    clauses.append(doc[c.left_edge.i:c.right_edge.i + 1].text)

        for t in root.lefts:
            if t.i < span.start and t.dep_ in ("compound", "amod", "nmod", "poss"):
                apposed.append(doc[t.left_edge.i:t.i + 1].text)
        relative(root)
        for t in root.rights:
            if t.i >= span.end and t.dep_ == "appos":
                apposed.append(noun_phrase(t))
                relative(t)
        if root.dep_ == "appos" and root.head.i < span.start:
            apposed.append(noun_phrase(root.head))
        return ", ".join(apposed), " ".join(clauses)

    def _context(self, start: int, end: int, text: str, head_kind: str,
                 claim_span: Optional[Span] = None) -> Decision:
        """No knowledge in the words: a fronted place (``In Islamabad, officials said``), else the
        group of the nearest earlier speaker of the paragraph or the one before."""
        resolved = _clean(text)
        kind, gender, plural = _noun_kind(name_tokens(text)[_head_index(tokenize_name(text))][0]) \
            if tokenize_name(text) else ("unknown", "", False)
        if kind == "unknown" and text[:1].isupper():
            kind = "person"
        sentence = self.sentences[self._sentence_of(start)]
        fronted = FRONTED_PLACE.match(self.text[sentence[0]:start])
        if fronted:
            found = knowledge(fronted.group(1), self.dispute)
            if found and found.group and found.stage in ("affiliation", "body"):
                return Decision(resolved, found.group, "rule", kind, gender, plural, "rule")
        words = set(tokenize_name(text))
        if words & EVENT_PEOPLE:
            counts: dict[str, list] = {}
            for m in self.mentions:
                if m.end <= start and m.kind in ("org", "group") and not m.in_quote and (m.subject or m.speaker):
                    decision = self.decide(m.start, m.end)
                    if decision.group and decision.source == "gazetteer":
                        counts.setdefault(decision.resolved, []).append(decision)
            if counts:
                main = max(counts.values(), key=len)[0]
                return Decision(resolved, main.group, "context", "person", "", True, "context")
        if head_kind in ("person", "org") or kind == "person":
            sent = self._sentence_of(start)
            same = [m for m in self.mentions if m.sent == sent and m.end <= start and not m.in_quote
                    and m.kind in ("org", "state", "person", "group")
                    and not (claim_span and claim_span[0] <= m.start < claim_span[1])]
            for m in sorted(same, key=lambda m: (not m.subject, -m.start)):
                decision = self.decide(m.start, m.end)
                if decision.group and decision.group != self.dispute.unattributed_group:
                    return Decision(resolved, decision.group, "context", kind, gender, plural, "context")
            here_para = self.paragraph_of(start)
            for _, span, decision in reversed(self.speakers):
                if span[0] >= start:
                    continue
                para = self.paragraph_of(span[0])
                if here_para - para > 1:
                    break
                if decision.group and decision.group != self.dispute.unattributed_group:
                    return Decision(resolved, decision.group, "context", kind, gender, plural, "context")
        return Decision(resolved, None, None, kind, gender, plural, "")

    # --- speakers of claims, in reading order ---

    def speak(self, span: Span, sentence: Span, claim: str, claim_span: Optional[Span]) -> Decision:
        """Decide a claim's speaker mention and remember it as a speaker."""
        decision = self.decide(span[0], span[1], claim, claim_span)
        m = self.mention_at(*span)
        if m is None:
            p = self.paragraph_of(span[0])
            m = _Mention(span[0], span[1], self.text[span[0]:span[1]], p, self._sentence_of(span[0]),
                         kind=decision.kind, gender=decision.gender, plural=decision.plural,
                         head=(tokenize_name(self.text[span[0]:span[1]]) or ("",))[-1])
            m.in_quote = self._inside_quote(*span)
            self.mentions.append(m)
            self.mentions.sort(key=lambda x: (x.start, -x.end))
        m.speaker = True
        if decision.kind not in ("unknown", "") and decision.kind != "document":
            m.kind, m.plural = decision.kind, decision.plural
            m.gender = decision.gender or m.gender
        self.speakers.append((sentence[0], span, decision))
        return decision

    def continuation(self, sentence: Span) -> Optional[Decision]:
        """A quote with no speaker in its sentence continues the previous quote's speaker
        (same paragraph, or up to two before)."""
        here = self.paragraph_of(sentence[0])
        for s_start, span, decision in reversed(self.speakers):
            if s_start > sentence[0]:
                continue
            if here - self.paragraph_of(s_start) > 2:
                return None
            return replace(decision, stage="resolved")
        return None


def innermost(attributions: list[Attribution]) -> list[Attribution]:
    """Drop an attribution whose content holds another one's source, cue and content.

    ``The Journal reports that US officials concede ...``: the speaker is the
    innermost named source (docs/annotation.md).
    """

    def inside(span: Optional[Span], outer: Span) -> bool:
        return span is not None and outer[0] <= span[0] and span[1] <= outer[1]

    keep = []
    for a in attributions:
        nested = any(
            b is not a and b.source is not None and inside(b.source, a.content) and inside(b.cue, a.content)
            and inside(b.content, a.content)
            for b in attributions
        )
        if not nested:
            keep.append(a)
    return keep


def _fill(claim: Claim, decision: Optional[Decision], dispute: Dispute) -> None:
    if decision is None or not decision.group:
        claim.speaker_resolved = decision.resolved if decision else claim.speaker
        claim.speaker_group, claim.speaker_group_source = dispute.unattributed_group, None
    else:
        claim.speaker_resolved = decision.resolved
        claim.speaker_group, claim.speaker_group_source = decision.group, decision.source


def _unnamed(resolver: SpeakerResolver, sentence: Span, claim_text: str, quoted: bool, cue: str) -> Decision:
    """A claim with no speaker mention: in a transcript, whoever holds the floor; a quote continues
    the previous quote's speaker; a hedge (``is believed to``, ``it is understood``, in the cue or in
    the sentence around the claim) names no source: unattributed, by rule."""
    around = resolver.text[sentence[0]:sentence[1]].replace(claim_text, " ") if claim_text else ""
    if HEDGES.search(around) and not quoted:
        cue = cue or around
    if not HEDGES.search(cue or ""):
        turn = resolver.turn_at(sentence[0])
        if turn is not None and turn.group:
            return replace(turn, stage="resolved")
    if quoted and not HEDGES.search(cue or ""):
        found = resolver.continuation(sentence)
        if found is not None and found.group:
            return found
    return Decision("", resolver.dispute.unattributed_group, "rule")


def attribute(document: Document, paragraphs: list[Paragraph], attributions: list[Attribution],
              dispute: Dispute) -> list[Claim]:
    """Turn the claims stage's attributions into ``Claim`` records with speakers and groups."""
    text = document.text
    resolver = SpeakerResolver(document, paragraphs, dispute)
    claims: list[Claim] = []
    for n, a in enumerate(sorted(innermost(attributions), key=lambda a: (a.sentence[0], a.content[0])), 1):
        speaker_span = _narrow_source(text, a.source) if a.source else None
        if speaker_span and speaker_span[1] <= speaker_span[0]:
            speaker_span = a.source
        mention = text[speaker_span[0]:speaker_span[1]] if speaker_span else ""
        claim_text = text[a.content[0]:a.content[1]]
        cue = text[a.cue[0]:a.cue[1]] if a.cue else ""
        if speaker_span:
            decision = resolver.speak(speaker_span, a.sentence, claim_text, a.content)
        else:
            decision = _unnamed(resolver, a.sentence, claim_text, a.kind == "direct" and a.cue is None, cue)
        claim = Claim(
            id=f"{document.doc_id}-{n}",
            doc_id=document.doc_id,
            sentence=text[a.sentence[0]:a.sentence[1]],
            claim=claim_text,
            speaker=mention,
            kind=a.kind,
            cue=cue or None,
            claim_span=a.content,
            speaker_span=speaker_span,
            cue_span=a.cue,
            sentence_span=a.sentence,
        )
        _fill(claim, decision, dispute)
        claims.append(claim)
    return claims


# --------------------------------------------------------------------------------------------
# Claims given with their article
# --------------------------------------------------------------------------------------------

def _locate(text: str, needle: str, after: int = 0) -> Optional[Span]:
    """Where ``needle`` stands in ``text`` (verbatim, else with any whitespace between its words)."""
    if not needle:
        return None
    at = text.find(needle, after)
    if at < 0:
        at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    words = needle.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    found = re.compile(pattern).search(text, after) or re.compile(pattern).search(text)
    return (found.start(), found.end()) if found else None


def _speaker_in(text: str, sentence: Span, claim_span: Optional[Span], speaker: str) -> Optional[Span]:
    """The speaker mention's span within its sentence: the occurrence outside the claim, nearest it."""
    body = text[sentence[0]:sentence[1]]
    spans = []
    for m in re.finditer(re.escape(speaker), body):
        spans.append((sentence[0] + m.start(), sentence[0] + m.end()))
    if not spans:
        found = _locate(body, speaker)
        spans = [(sentence[0] + found[0], sentence[0] + found[1])] if found else []
    if not spans:
        return None
    if claim_span:
        outside = [s for s in spans if s[1] <= claim_span[0] or s[0] >= claim_span[1]]
        spans = outside or spans
        return min(spans, key=lambda s: min(abs(s[0] - claim_span[1]), abs(claim_span[0] - s[1])))
    return spans[0]


def _quoted(sentence_text: str, claim_text: str) -> bool:
    """Is the claim (or its sentence) a quotation: a quote mark right around it, or opening the sentence."""
    at = sentence_text.find(claim_text)
    before = sentence_text[:at].rstrip()[-1:] if at > 0 else ""
    stripped = sentence_text.lstrip()
    return bool(before and before in QUOTE_MARKS) or bool(stripped[:1] and stripped[0] in QUOTE_MARKS)


def resolve_given(document: Document, paragraphs: list[Paragraph], claims: Iterable[Claim],
                  dispute: Dispute) -> list[Claim]:
    """Copies of ``claims`` with ``speaker_resolved``, ``speaker_group`` and ``speaker_group_source`` filled.

    Only each claim's ``sentence``, ``claim`` and ``speaker`` are read (never
    its ``speaker_resolved``, ``speaker_group`` or ``stance``: those are
    labels): the sentence and the speaker mention are found in the article
    and resolved, in reading order, with the same resolver as extraction
    (pronouns across paragraphs, a quote with no speaker continuing the
    previous quote's, ``the statement`` to its issuer). A claim whose sentence
    is not in the article falls back to ``resolve_mention``. Other fields are
    copied as they are; the input claims are not changed.
    """
    claims = list(claims)
    text = document.text
    resolver = SpeakerResolver(document, paragraphs, dispute)
    located = []
    cursor = 0
    for i, c in enumerate(claims):
        sentence = _locate(text, c.sentence, cursor) if c.sentence else None
        if sentence is None and c.sentence_span and text[c.sentence_span[0]:c.sentence_span[1]] == c.sentence:
            sentence = tuple(c.sentence_span)
        located.append((sentence[0] if sentence else len(text), i, sentence))
        if sentence:
            cursor = sentence[0]
    out: list[Optional[Claim]] = [None] * len(claims)
    for _, i, sentence in sorted(located, key=lambda x: (x[0], x[1])):
        c = claims[i]
        copy = replace(c, extra=dict(c.extra))
        if sentence is None:
            r = resolve_mention(c.speaker, dispute, c.claim)
            copy.speaker_resolved = r.resolved
            copy.speaker_group = r.group or dispute.unattributed_group
            copy.speaker_group_source = r.source if r.group else None
            out[i] = copy
            continue
        sentence_text = text[sentence[0]:sentence[1]]
        at = sentence_text.find(c.claim)
        claim_span = (sentence[0] + at, sentence[0] + at + len(c.claim)) if at >= 0 else None
        span = _speaker_in(text, sentence, claim_span, c.speaker) if c.speaker.strip() else None
        if span is not None:
            decision = resolver.speak(span, sentence, c.claim, claim_span)
        elif c.speaker.strip():
            r = resolve_mention(c.speaker, dispute, c.claim)
            decision = Decision(r.resolved, r.group, r.source)
        else:
            decision = _unnamed(resolver, sentence, c.claim, _quoted(sentence_text, c.claim), "")
        _fill(copy, decision, dispute)
        out[i] = copy
    return out
