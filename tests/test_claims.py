"""The claims stage: the seed article's claims, quote handling, and robustness on random text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.claims import find_attributions, load_cues
from stance.claims.quotes import find_quotes
from stance.errors import InputError
from stance.reader import document_from_text, read_document
from stance.sentences import parse

SEED = Path(__file__).resolve().parent.parent / "training" / "data" / "articles" / "seed_article.txt"


@pytest.fixture(scope="module")
def cues():
    return load_cues()


def extract(text: str, cues):
    document = document_from_text(text)
    return document, find_attributions(parse(document), document, cues)


def spans(document, attribution):
    text = document.text

    def cut(span):
        return text[span[0]:span[1]] if span else None

    return cut(attribution.content), cut(attribution.source), cut(attribution.cue)


@pytest.fixture(scope="module")
def seed(cues):
    document = read_document(SEED)
    attributions = find_attributions(parse(document), document, cues)
    return document, [(spans(document, a), a) for a in attributions]


def claim_with(seed, content_start: str):
    _, rows = seed
    found = [(texts, a) for texts, a in rows if texts[0].startswith(content_start)]
    assert found, f"no claim starting {content_start!r}; got {[t[0][:40] for t, _ in rows]}"
    return found[0]


@pytest.mark.parametrize("content_start, source, cue, kind", [
    ("Two top US military commanders discussed \"militant network activities\"", "American authorities", "said",
     "mixed"),
    ("Mattis and Allen discussed \"a wide range", "a statement from the US embassy here", "said", "mixed"),
    ("called for a balanced approach to bilateral ties", "Obama", "called for", "indirect"),
    ("Mattis, who left Pakistan this morning, acknowledged sacrifices", "the embassy statement", "said", "indirect"),
    # a document relaying a named speaker's act: the nested claim is Mattis's (the speakers stage keeps it)
    ("acknowledged sacrifices made by Pakistani military", "Mattis", "acknowledged", "indirect"),
    ("this was the first visit by senior US military officials", "it", "Noting", "indirect"),
    ("Mattis and Allen were \"grateful for the time", "it", "said", "mixed"),
    ("During their meeting with the chairman", "a Pakistani military statement", "said", "indirect"),
    ("the air strike was unintentional", "The American military", "said", "indirect"),
    ("rejected this stand and called for action against those responsible for the raid",
     "the Pakistani military", "rejected", "indirect"),
    ("presented 40 recommendations for resetting Pakistan-US ties, including an apology",
     "The Parliamentary Committee on National Security", "presented", "indirect"),
    ("it will launch nationwide protests if the supply routes are reopened", "The Defa-e-Pakistan Council", "warned",
     "indirect"),
    ("it will target parliamentarians", "The Tehrik-e-Taliban Pakistan", "warned", "indirect"),
    ("believed to be a hub for CIA-operated drones", None, "believed", "indirect"),
])
def test_seed_claims(seed, content_start, source, cue, kind):
    (content, found_source, found_cue), attribution = claim_with(seed, content_start)
    assert found_source == source
    assert found_cue == cue
    assert attribution.kind == kind
    assert not content.endswith((".", ",")) and not content.startswith("that ")


def test_seed_claim_spans_are_exact(seed):
    document, rows = seed
    (content, _, _), a = claim_with(seed, "the air strike was unintentional")
    assert content == "the air strike was unintentional"
    (content, _, _), a = claim_with(seed, "rejected this stand")
    assert content == "rejected this stand and called for action against those responsible for the raid"
    sentence = document.text[a.sentence[0]:a.sentence[1]]
    assert sentence.startswith("The American military said") and sentence.endswith("the raid.")
    (content, _, _), _ = claim_with(seed, "believed")
    assert content == "believed to be a hub for CIA-operated drones"


def test_seed_one_sentence_two_opposite_speakers(seed):
    document, rows = seed
    start = document.text.index("The American military said")
    in_sentence = [texts for texts, a in rows if a.sentence[0] == start]
    assert {texts[1] for texts in in_sentence} == {"The American military", "the Pakistani military"}


def test_seed_no_claims_from_title_narration_or_boilerplate(seed):
    document, rows = seed
    text = document.text
    for narration in ("Pak’s Kayani discusses", "Pakistan has so far refused", "cookies", "The US has for long",
                      "This was the first high-level", "The meeting between the military officials could",
                      "The US is keen on re-engaging"):
        start = text.index(narration)
        end = text.index("\n", start) if "\n" in text[start:] else len(text)
        sentence_end = text.find(".", start)
        assert not any(start <= a.content[0] < min(end, sentence_end + 1) for _, a in rows), narration


def test_seed_every_span_is_inside_the_text(seed):
    document, rows = seed
    for _, a in rows:
        for span in (a.content, a.sentence, a.cue, a.source):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(document.text)
        assert a.sentence[0] <= a.content[0] and a.content[1] <= a.sentence[1]


def test_quote_first_order_and_multi_sentence_quote(cues):
    text = ('"We will not accept this. The strike was deliberate," the army spokesman said on Sunday.\n\n'
            'He added that the posts had not fired first.')
    document, found = extract(text, cues)
    rows = [spans(document, a) for a in found]
    assert ("We will not accept this. The strike was deliberate", "the army spokesman", "said") in rows
    direct = [a for a in found if a.kind == "direct"]
    assert len(direct) == 1
    sentence = document.text[direct[0].sentence[0]:direct[0].sentence[1]]
    assert sentence.startswith('"We will not') and sentence.endswith("on Sunday.")
    assert ("the posts had not fired first", "He", "added") in rows


def test_interrupted_quote_is_one_claim_and_polnear_pieces(cues):
    quote = ("“It was a mistake,” the official said, “and we regret it deeply.” "
             "“We will cooperate with the inquiry fully.”")
    text = "A man was arrested in the city.\n\n" + quote
    document, found = extract(text, cues)
    rows = [spans(document, a) for a in found]
    assert rows == [(quote[1:-1], "the official", "said")]
    pieces = find_attributions(parse(document), document, cues, conventions="polnear")
    rows = [spans(document, a) for a in pieces]
    assert ("It was a mistake", "the official", "said") in rows
    assert ("and we regret it deeply.", "the official", "said") in rows
    assert ("We will cooperate with the inquiry fully.", "the official", "said") in rows


def test_curly_single_and_nested_quotes():
    text = "He said “they told us ‘leave now’ and we left,” adding: ‘That was all.’"
    quotes = find_quotes(text)
    inner = [text[q.inner[0]:q.inner[1]] for q in quotes]
    assert inner == ["they told us ‘leave now’ and we left", "That was all."]
    assert find_quotes("Pakistan’s army and the players' union don't agree.") == []


def test_unbalanced_quote_does_not_swallow_the_text(cues):
    text = ('The minister said the talks would resume "next week.\n\n'
            'Officials said the border would stay closed until an apology was made.')
    document, found = extract(text, cues)
    rows = [spans(document, a) for a in found]
    assert ("the border would stay closed until an apology was made", "Officials", "said") in rows
    assert all(a.content[1] <= len(document.text) for a in found)
    assert [q.inner for q in find_quotes('He said "yes and left')] == []


def test_according_to_and_statement_source(cues):
    text = ("According to the Foreign Office, the supply routes will stay closed.\n\n"
            "The strike was unprovoked, said a statement from the army's media wing.")
    document, found = extract(text, cues)
    rows = [spans(document, a) for a in found]
    assert ("the supply routes will stay closed", "the Foreign Office", "According to") in rows
    assert ("The strike was unprovoked", "a statement from the army's media wing", "said") in rows


def test_appositive_is_not_part_of_the_source(cues):
    text = "Gen John Allen, commander of the coalition, said the troops had acted in self-defence."
    document, found = extract(text, cues)
    assert ("the troops had acted in self-defence", "Gen John Allen", "said") in [spans(document, a) for a in found]


def test_narration_is_not_a_claim(cues):
    document, found = extract("Pakistan has so far refused to launch a military offensive in the region.\n\n"
                              "Trucks lined the road near the border crossing for miles.", cues)
    assert found == []


def test_dispute_cues_extend_the_lexicon():
    base = load_cues()
    extended = load_cues({"speech": ["harrumph"], "position": ["stonewall"]})
    assert "harrumph" not in base.speech and "harrumph" in extended.speech
    assert "stonewall" in extended.position and "say" in extended.speech
    with pytest.raises(InputError):
        load_cues({"verbs": ["say"]})


def test_default_dispute_cue_table_has_the_lexicon_keys():
    import tomllib

    from stance.claims.cues import CUES_FILE, KEYS
    from stance.dispute import load_dispute

    assert set(load_dispute().cues) == set(KEYS) == set(tomllib.loads(CUES_FILE.read_text()))
    load_cues(load_dispute().cues)


# -- robustness: random text with random quote marks --------------------------------------------

WORDS = ["the", "army", "said", "told", "reporters", "that", "it", "was", "a", "mistake", "Pakistan",
         "rejected", "claim", "according", "to", "officials", "He", "believed", "be", "calls", "for",
         "action", "and", "but", "not", "warned", "will", "protest", "Obama", "urged", "restraint"]
MARKS = ['"', "“", "”", "‘", "’", "'", "''", "«", "»", ",", ".", ":", "\n\n", "\n", "(", ")", "—", " "]
piece = st.one_of(st.sampled_from(WORDS).map(lambda w: w + " "), st.sampled_from(MARKS),
                  st.text(alphabet="ab \"'“”’.", max_size=4))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(piece, min_size=1, max_size=60).map("".join))
def test_random_text_never_breaks_the_extractor(cues, text):
    document = document_from_text(text)
    found = find_attributions(parse(document), document, cues)
    for a in found:
        assert a.kind in ("direct", "indirect", "mixed")
        for span in (a.content, a.sentence, a.cue, a.source):
            if span is not None:
                start, end = span
                assert 0 <= start < end <= len(text)
                assert text[start:end] == document.text[start:end]
                assert text[start:end].strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .,\"'“”‘’«»\n", max_size=80))
def test_find_quotes_spans_are_inside_the_text(text):
    for quote in find_quotes(text):
        assert 0 <= quote.start <= quote.inner[0] < quote.inner[1] <= quote.end <= len(text)


def test_polnear_conventions_keep_appositives_pronouns_and_auxiliaries(cues):
    text = ("Gen John Allen, commander of the coalition, has also said the troops acted in self-defence.\n\n"
            "The strike angered the minister, who said the posts had not fired.")
    document = document_from_text(text)
    paragraphs = parse(document)
    ours = [spans(document, a) for a in find_attributions(paragraphs, document, cues)]
    theirs = [spans(document, a) for a in find_attributions(paragraphs, document, cues, conventions="polnear")]
    assert ("the troops acted in self-defence", "Gen John Allen", "said") in ours
    assert ("the troops acted in self-defence", "Gen John Allen, commander of the coalition", "has also said") in theirs
    assert ("the posts had not fired", "the minister", "said") in ours
    assert ("the posts had not fired", "who", "said") in theirs
    with pytest.raises(ValueError):
        find_attributions(paragraphs, document, cues, conventions="other")


def test_a_condition_stays_inside_the_claim():
    from stance.pipeline import extract_claims

    text = "The Tehrik-e-Taliban Pakistan has warned it will target parliamentarians if they recommend the reopening of the routes."
    claim, = extract_claims(text)
    assert claim.claim == "it will target parliamentarians if they recommend the reopening of the routes"
