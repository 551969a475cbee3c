"""Reported speech from the dependency parse: cues, their sources and contents.

Each cue found in a sentence becomes a ``Candidate``: its cue span, source
mention and content span in the paragraph's character offsets. A cue with a
speaker but no content of its own (``X said:``) is kept as a bare candidate:
the quotes step gives it the quote it introduces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .content import char_span, subtree_span, token_range
from .cues import CueLexicon
from .source import mention_span, subject_in_quote, subject_of

CharSpan = tuple[int, int]
CLAUSAL = {"ccomp"}
#: Right-hand dependents that end a position verb's phrase: another speaker's clause.
STOP = {"parataxis", "punct"}


@dataclass
class Candidate:
    cue: Optional[CharSpan]
    source: Optional[CharSpan]
    content: Optional[CharSpan]
    sentence: CharSpan
    clausal: bool = True  # reports a proposition (a clause or a quote), not a verb phrase
    hedge: bool = False
    belief: bool = False  # a belief or knowledge cue, not a speech act ("she thinks")
    speaker_noun: str = ""  # lemma of the source's head word ("statement")


def sentence_span(sent) -> CharSpan:
    """Characters of a spaCy sentence without its edge whitespace."""
    text = sent.text
    lead = len(text) - len(text.lstrip())
    return sent.start_char + lead, sent.start_char + len(text.rstrip())


def _particle(verb, lexicon: CueLexicon):
    """The particle token completing a multi-word verb cue (``called`` + ``for``), if any."""
    for phrase in lexicon.verb_phrases(_LEMMA_FIX.get(verb.lower_, verb.lemma_.lower())):
        nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
        if nxt is not None and nxt.lower_ == phrase[1] and nxt.head.i == verb.i:
            return nxt, " ".join(phrase)
    return None, None


def _span_of(tokens) -> CharSpan:
    first, last = min(t.i for t in tokens), max(t.i for t in tokens)
    doc = tokens[0].doc
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _own_subject(token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in token.children)


def verb_phrase(verb, particle=None, lexicon: CueLexicon | None = None) -> Optional[CharSpan]:
    """The verb phrase from the cue verb to its last right-hand dependent, stopping at another clause.

    None in a subordinate clause (``if they recommend reopening the routes``): a condition
    or a circumstance, not a position taken; None in the perfect progressive (``has
    been asking``): a standing activity the writer reports, not a statement.
    """
    if any(c.dep_ == "mark" and c.lower_ not in CONTRAST for c in verb.children):
        return None  # "while the army protested against ...": a contrast is a second speaker's claim
    if verb.tag_ == "VBG" and {"been"} <= {c.lower_ for c in verb.lefts if c.dep_ == "aux"}:
        return None  # "has for long been asking ...": a standing activity, told in the writer's voice
    last = particle.i if particle is not None else verb.i
    rights = list(verb.rights)
    for n, child in enumerate(rights):
        if child.dep_ in STOP and child.dep_ != "punct":
            break
        if child.dep_ == "punct":
            continue
        if child.dep_ == "conj" and _own_subject(child):
            break
        if child.dep_ == "cc" and (child.lower_ in ("but", "yet") or
                                   any(c.dep_ == "conj" and _own_subject(c) for c in rights[n + 1:])):
            break  # "described it as X, but stopped short of Y": the contrast is another claim
        if child.dep_ == "prep" and child.lower_ in _ADJUNCTS and (particle is None or child.i != particle.i) and all(
                c.dep_ in ("prep", "punct", "npadvmod") for c in rights[n:]):
            break  # trailing "during a campaign stop in Flint": when and where, not what
        if child.dep_ in ("advcl", "conj") and lexicon is not None and (
                child.lemma_.lower() in lexicon.participle or child.lemma_.lower() in lexicon.speech) \
                and child.tag_ == "VBG":
            break  # "..., saying ...": a claim of its own
        last = max(last, child.right_edge.i)
    if last == (particle.i if particle is not None else verb.i):
        return None
    last = _drop_trailing_aside(verb, last)
    return char_span(verb.doc, verb.i, last, drop_that=False)


def _drop_trailing_aside(verb, last: int) -> int:
    """Cut a comma-led relative clause or appositive that ends the phrase (``..., which ...``)."""
    doc = verb.doc
    changed = True
    while changed:
        changed = False
        for t in doc[verb.i + 1:last + 1]:
            start = t.left_edge.i
            if t.dep_ in ("relcl", "appos") and t.right_edge.i >= last - 1 and start > verb.i + 1 \
                    and doc[start - 1].text == ",":
                last, changed = start - 2, True
                break
    return last


def _anonymity(verb) -> bool:
    """``asked not to be named``: a source's condition, not a claim."""
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in ("name", "identify", "quote", "be")
               and any(g.dep_ == "auxpass" for g in c.children) for c in verb.children)


def _misattached(verb, lexicon: CueLexicon) -> bool:
    """A cue verb the parser joined to the reported clause instead of to the speech verb above it:
    ``He said the attack was "a declaration of war" and accused the government of ...``.

    Only an act of speech or a position is the speaker's own; a belief or any other verb
    (``said she did not follow politics and only wanted ...``, ``said the report was biased and
    could not be considered impartial``) goes on with what was said."""
    head = verb.head
    return (verb.dep_ == "conj" and not _own_subject(verb) and head.dep_ == "ccomp"
            and bool(lexicon.kind_of(head.head.lemma_.lower())) and head.head.i < head.i
            and bool(lexicon.kind_of(_lemma(verb)) & {"speech", "position"})
            and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children))


def _lemma(token) -> str:
    return _LEMMA_FIX.get(token.lower_, token.lemma_.lower())


CONDITIONS = {"if", "unless", "when", "once", "until", "because", "before", "after", "whether", "since"}


#: Conjunctions that join two speakers' claims as a contrast ("X said A, while B protested C").
CONTRAST = {"while", "whereas"}


def _conditional(clause) -> bool:
    """``... if they recommend the reopening``, ``when they sought clearance``: a condition or a
    time of the claim, not a claim of its own."""
    return any((c.dep_ == "mark" or c.dep_ == "advmod" and c.i < clause.i) and c.lower_ in CONDITIONS
               for c in clause.children)



def _other_claims(clause, lexicon: CueLexicon) -> list:
    """Parts of a reported clause that are claims of their own: a misattached cue verb
    (see ``_misattached``) or a contrasting speaker (``..., while Pakistani officials insisted ...``)."""
    out = []
    for child in clause.children:
        if child.dep_ not in ("conj", "advcl") or not lexicon.kind_of(child.lemma_.lower()):
            continue
        if _misattached(child, lexicon) or (child.dep_ == "advcl" and _own_subject(child) and not _conditional(child)):
            out.append(child)
    return out


def _content_around(verb) -> list[CharSpan]:
    """``A happened, X said`` / ``A, X said, happened``: the clause the cue hangs on, less the cue's clause.

    A cue in the middle of the clause splits it: one piece on each side.
    """
    head = verb.head
    if verb.dep_ not in ("parataxis", "advcl", "ccomp", "conj") or head.i == verb.i:
        return []
    if verb.dep_ == "conj" and (head.i > verb.i or not _own_subject(verb)):
        return []  # "said A and hoped B": a conjoined verb sharing its subject reports nothing of its head
    if any(c.dep_ == "mark" for c in verb.children):
        return []  # "since Clinton cited ...": a subordinate clause, not a parenthetical cue
    cut = {t.i for t in verb.subtree}
    kept = [t.i for t in head.subtree if t.i not in cut]
    doc = verb.doc
    pieces = []
    for side in ([i for i in kept if i < verb.left_edge.i], [i for i in kept if i > verb.right_edge.i]):
        rng = token_range(side)
        if rng and any(not doc[i].is_punct for i in range(rng[0], rng[1] + 1)):
            span = char_span(doc, *rng)
            if span:
                pieces.append(span)
    return pieces


def find_candidates(sent, lexicon: CueLexicon, quotes: list[CharSpan] = (), polnear: bool = False) -> list[Candidate]:
    """Every cue of one sentence (a spaCy span) with its source and content.

    ``quotes`` are the paragraph's quoted stretches (a subject inside one is a
    misparse). ``polnear`` follows PolNeAR's conventions: a source is the whole
    noun phrase, appositives included, and a relative pronoun as it stands; a
    cue holds the auxiliaries and adverbs just before its verb.
    """
    doc = sent.doc
    sentence = sentence_span(sent)
    out: list[Candidate] = []
    for token in sent:
        # "according to X, ..."
        for phrase in lexicon.preposition:
            words = [doc[token.i + k].lower_ if token.i + k < len(doc) else "" for k in range(len(phrase))]
            if tuple(words) == phrase and token.i + len(phrase) <= sent.end:
                out += _prepositional(token, len(phrase), sentence, polnear)
                break
        if token.pos_ not in ("VERB", "AUX") or token.dep_ == "aux":
            if token.pos_ == "NOUN" and token.lemma_.lower() in lexicon.nominal:
                out += _nominal(token, sentence, polnear)
            continue
        lemma = _LEMMA_FIX.get(token.lower_, token.lemma_.lower())
        particle, phrase = _particle(token, lexicon)
        kinds = lexicon.kind_of(lemma, phrase.split()[1] if phrase else None) if phrase else set()
        if not kinds:
            particle = None
            kinds = lexicon.kind_of(lemma)
        hedge_only = not kinds and lemma in lexicon.hedge  # "it is understood that ...": only ever a hedge
        if hedge_only:
            kinds = {"hedge"}
        if not kinds:
            continue
        if (token.dep_ == "xcomp" or token.dep_ == "ccomp" and not polnear) and any(
                c.lower_ == "to" for c in token.children) and (
                lexicon.kind_of(token.head.lemma_.lower()) or token.head.lemma_.lower() in _INFINITIVE_ACTIONS):
            continue  # "asked to describe", "declined to say": no speech act took place
        if token.dep_ == "advcl" and token.tag_ == "VBN" and not _own_subject(token):
            continue  # "Asked about it, X said ...": the participle's subject is the one asked
        cue_tokens = [token] + ([particle] if particle is not None else [])
        if polnear:  # PolNeAR's cues hold the auxiliaries and adverbs before the verb: "has also said"
            left = {c.i: c for c in token.lefts if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
            first = token.i
            while first - 1 in left:
                first -= 1
                cue_tokens.append(left[first])
        cue = _span_of(cue_tokens)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        bare = token.tag_ in ("VBN", "VBD") and token.i > sent.start and doc[token.i - 1].text == "," and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj", "ccomp") for c in token.children)
        clause = next((c for c in token.children if c.dep_ in CLAUSAL and not (
            c.i < token.i and any(t.text == ";" for t in doc[c.i:token.i]))), None)  # "A says X; B denies Y"
        # "It was further stated that ...", "it has been pointed out that ...": any verb of saying
        # in the passive with an empty "it" names no speaker
        impersonal = "speech" in kinds and clause is not None and any(
            c.dep_ == "nsubjpass" and c.lower_ == "it" for c in token.children)
        hedge = (lemma in lexicon.hedge or impersonal) and (
            passive or bare or (token.tag_ == "VBN" and token.dep_ == "acl")) \
            and any(c.dep_ in ("xcomp", "ccomp") for c in token.children)
        if hedge_only and not hedge:
            continue
        if hedge and not any(c.dep_ == "agent" for c in token.children):
            content = None
            if clause is not None:  # "it is believed that ..."
                content = subtree_span(clause)
            elif token.dep_ == "acl" or bare:  # "an airbase, believed to be a hub for drones"
                content = verb_phrase(token, None, lexicon)
            else:  # "X is believed to be ...": the clause less its auxiliaries
                subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
                phrase_span = verb_phrase(token, None, lexicon)
                infinitive = next((c for c in token.children if c.dep_ == "xcomp"), None)
                if subject is not None and phrase_span and subject.lower_ != "it":
                    content = (doc[subject.left_edge.i].idx, phrase_span[1])
                    if not polnear and infinitive is not None and infinitive.i > token.i:
                        # ours: what is believed of X, from the verb after "to (have been)"
                        content = verb_phrase(infinitive, None, lexicon) or content
            if content:
                out.append(Candidate(cue, None, content, sentence, clausal=True, hedge=True))
            continue
        if not polnear and _not_a_statement(token, kinds, clause, particle):
            continue
        subject = subject_of(token, relative=polnear)
        if passive and not polnear and not any(c.dep_ == "agent" for c in token.children):
            subject = None  # "the patrol ... was told there were no troops": the one told is not the speaker
        if _misattached(token, lexicon):  # "He said X was war and accused ...": "accused" is his
            subject = subject_of(token.head.head, relative=polnear)
        if subject is not None and any(a <= subject.idx < b for a, b in quotes) and \
                not any(a <= token.idx < b for a, b in quotes):
            subject = subject_in_quote(token, quotes)
        source = mention_span(subject, polnear) if subject is not None and subject.pos_ != "VERB" else None
        content, clausal = None, True
        if clause is not None:
            content = subtree_span(clause, exclude=_other_claims(clause, lexicon))
        elif (kinds & {"speech", "belief"}) and not (kinds & {"position"}):
            pieces = _content_around(token)
            if pieces and not polnear:  # "The army, he said, had wanted ...": one claim around the cue
                content = (pieces[0][0], pieces[-1][1])
            elif pieces:  # PolNeAR counts each piece
                content = pieces[-1]
                out += [Candidate(cue, source, piece, sentence) for piece in pieces[:-1]]
        if lemma in _NAMING and particle is None and not any(
                c.dep_ in ("oprd", "xcomp", "ccomp") for c in token.children):
            continue
        if content is None and "position" in kinds and source is not None and not passive:
            if not (lemma in _INFINITIVE_ACTIONS and any(c.dep_ == "xcomp" for c in token.children)):
                content = verb_phrase(token, particle, lexicon)
                clausal = False
        if content is None and source is not None and "speech" in kinds and not passive \
                and any(c.dep_ in _OBJECTS for c in token.children) and not _anonymity(token) \
                and not ((lemma in _INFINITIVE_ACTIONS or lemma == "agree" and not polnear)
                         and any(c.dep_ == "xcomp" for c in token.children)):  # "agreed to boycott": a decision
            content = verb_phrase(token, particle, lexicon)  # "Clinton cited derogatory comments"
            clausal = False
            if lemma in _ADDRESSEE and content and not polnear and not _says_more_than_whom(token):
                content = None  # "told reporters on Tuesday": whom, not what
        if content is None and "position" not in kinds and token.dep_ in ("advcl", "conj") \
                and lemma in lexicon.participle and token.tag_ == "VBG":
            content = verb_phrase(token, particle, lexicon)  # "..., adding a warning"
            clausal = False
        if source is None and not (clause is not None and content and token.tag_ in ("VBD", "VBZ", "VBP")):
            continue  # "having said that": no speaker, and not a hedge
        belief = not (kinds & {"speech", "position"})
        out.append(Candidate(cue, source, content, sentence, clausal=clausal, belief=belief,
                             speaker_noun=subject.lemma_.lower() if subject is not None else ""))
    return out


_WH = {"WDT", "WP", "WP$", "WRB"}
_NEGATION = {"not", "n't", "never"}


def _not_a_statement(verb, kinds: set[str], clause, particle) -> bool:
    """Speech that asserts nothing (docs/annotation.md: narration, not a claim).

    - an indirect question: ``asked whether ...``, ``did not say how many ...``, ``explain how ...``;
    - a denied or withheld speech act: ``she did not say ...``, ``would not say ...``;
    - ``called on the wounded``: ``call on`` is an appeal only with what the one called on should do.
    """
    if clause is not None and "position" not in kinds and _question(clause):
        return True
    if "speech" in kinds and "position" not in kinds and any(
            c.dep_ == "neg" and c.lower_ in _NEGATION for c in verb.children):
        return True
    if particle is not None and particle.lower_ == "on" and verb.lemma_.lower() == "call" and not any(
            t.tag_ == "VB" and any(a.lower_ == "to" for a in t.children) for t in verb.subtree if t.i > particle.i):
        return True
    return False


def _question(clause) -> bool:
    """A reported clause that opens with ``whether``/``if`` or a wh-word of its own (not of a time clause in it)."""
    if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children) and clause.head.i < clause.i:
        return True
    first = clause.left_edge
    if first.tag_ not in _WH or first.lower_ == "that" or first.i < clause.head.i:
        return False  # "that" is a complementiser; "the strike, which the army says was ...": a relative
    token = first
    while token.i != clause.i:  # "said when they sought clearance, they ...": a time clause, not a question
        if token.dep_ in ("advcl", "mark") or token.head.i == token.i:
            return False
        token = token.head
    return True


def _says_more_than_whom(verb) -> bool:
    """``told the AP by telephone that ...`` (a clause the parser hung elsewhere) says what; ``told reporters`` does not."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    after = max((o.right_edge.i for o in objects), default=verb.i)
    return any(c.dep_ in ("xcomp", "oprd") for c in verb.children) or any(
        t.dep_ == "ccomp" or any(m.dep_ == "mark" and m.lower_ == "that" for m in t.children)
        for t in verb.subtree if t.i > after)


#: Verbs whose direct object is who is told: "told reporters" alone says nothing.
_ADDRESSEE = {"tell", "inform", "brief", "assure", "remind", "notify", "advise"}

#: Complements that make a speech or belief verb's phrase a claim without a clause.
_OBJECTS = {"dobj", "xcomp", "oprd"}

#: Prepositions of time and place that end a verb phrase's claim when only such adjuncts follow.
_ADJUNCTS = {"during", "at", "after", "before", "on", "in", "while", "since", "earlier"}

#: Forms the small English model lemmatises wrongly ("hoped" -> "hop").
_LEMMA_FIX = {"hoped": "hope", "hopes": "hope", "hoping": "hope"}

#: Verbs of naming, claims only with a predicate ("called the charges unsubstantiated").
_NAMING = {"call"}

#: Position verbs that, taking an infinitive, report an action rather than a position
#: ("Pakistan has refused to launch an offensive" is narration).
_INFINITIVE_ACTIONS = {"refuse", "decline", "seek", "offer", "attempt", "back", "support"}


def _prepositional(token, width: int, sentence: CharSpan, polnear: bool = False) -> list[Candidate]:
    doc = token.doc
    last_word = doc[token.i + width - 1]
    objects = [c for c in last_word.children if c.dep_ == "pobj"] or \
              [c for c in token.children if c.dep_ == "pobj"]
    phrase = {t.i for t in token.subtree} | {t.i for t in last_word.subtree} | set(range(token.i, token.i + width))
    source = mention_span(objects[0], polnear) if objects else None
    # the clause the phrase modifies: climb to the verb it hangs on
    head = token.head
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    root = head if head.i not in phrase else token.sent.root
    tokens = [t for t in root.subtree if t.i not in phrase]
    rng = token_range(tokens)
    content = char_span(doc, *rng, drop_that=False) if rng else None
    cue = _span_of([doc[token.i + k] for k in range(width)])
    if content is None:
        return []
    return [Candidate(cue, source, content, sentence)]


def _nominal(noun, sentence: CharSpan, polnear: bool = False) -> list[Candidate]:
    """``his claim that ...``, ``the warning from X that ...``: a noun with a that-clause."""
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "appos")
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return []
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                owner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if owner is not None:
                    break
    content = subtree_span(clause)
    if content is None:
        return []
    source = mention_span(owner, polnear) if owner is not None else None
    return [Candidate(_span_of([noun]), source, content, sentence)]
