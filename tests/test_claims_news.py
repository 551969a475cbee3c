"""The claims stage on the ways real news coverage attributes claims (our own sentences).

Each test is named after a kind of case that real coverage showed the rules
getting wrong: narration taken for attribution, attributions missed, and claim
boundaries that differ from docs/annotation.md's.
"""

from __future__ import annotations

import pytest

from stance.claims import find_attributions, load_cues
from stance.reader import document_from_text
from stance.sentences import parse


@pytest.fixture(scope="module")
def cues():
    return load_cues()


def claims(text: str, cues) -> list[tuple[str, str | None, str | None]]:
    """``(content, source, cue)`` texts of every claim found in ``text``."""
    document = document_from_text(text)
    out = []
    for a in find_attributions(parse(document), document, cues):
        cut = [document.text[s[0]:s[1]] if s else None for s in (a.content, a.source, a.cue)]
        out.append(tuple(cut))
    return out


def contents(text: str, cues) -> list[str]:
    return [c for c, _, _ in claims(text, cues)]


def test_belief_conjunct_stays_in_the_reported_clause(cues):
    """``said she X and only wanted Y``: the parser hangs ``wanted`` off the clause; it is still what was said."""
    found = contents("The farmer's widow said she had never voted and only wanted the council to rebuild "
                     "the bridge before winter.", cues)
    assert found == ["she had never voted and only wanted the council to rebuild the bridge before winter"]
    found = contents("The union added that the offer was 'an insult' and could not be put to members "
                     "while the mill stayed shut.", cues)
    assert found == ["the offer was 'an insult' and could not be put to members while the mill stayed shut"]


def test_speech_conjunct_is_the_speakers_own_act(cues):
    """``said A and accused B``: a speech act joined to the clause is still a second claim."""
    found = claims("The mayor said the storm drains were blocked and accused the contractor of cutting "
                   "corners.", cues)
    assert ("the storm drains were blocked", "The mayor", "said") in found
    assert any(c.startswith("accused the contractor") for c, _, _ in found)


def test_cue_inside_the_clause_gives_one_claim(cues):
    """``The levee, he said, had held``: one claim around the parenthetical cue, not two fragments."""
    found = claims("The old levee, the engineer said, had held through three floods before the rains "
                   "of March.", cues)
    assert len(found) == 1
    content, source, cue = found[0]
    assert content.startswith("The old levee") and content.endswith("before the rains of March")
    assert (source, cue) == ("the engineer", "said")


def test_impersonal_passive_is_an_unattributed_claim(cues):
    """``It was further stated that ...``, ``It is understood that ...``: a claim with no source."""
    for text, claim, cue in [
        ("It was further stated that the committee had approved the new budget for the port.",
         "the committee had approved the new budget for the port", "stated"),
        ("It is understood that the ferry company will cancel the evening crossings.",
         "the ferry company will cancel the evening crossings", "understood"),
    ]:
        assert claims(text, cues) == [(claim, None, cue)]


def test_believed_to_have_claim_is_what_is_believed(cues):
    """``X is believed to have VP``: the claim is the verb phrase after ``to (have)``, not the subject."""
    found = contents("The smugglers are believed to have used the old quarry road to move the cattle.", cues)
    assert found == ["used the old quarry road to move the cattle"]


@pytest.mark.parametrize("text", [
    "The minister did not say whether the toll would rise next year.",
    "Reporters asked whether the bridge would reopen before the harvest.",
    "He would not say how many inspectors had visited the site.",
    "The mayor was asked when the pumps would be repaired and said nothing.",
])
def test_question_or_withheld_speech_is_not_a_claim(cues, text):
    """An indirect question, or speech denied or withheld, asserts nothing."""
    assert contents(text, cues) == []


def test_relative_clause_before_cue_is_not_a_question(cues):
    """``the flood, which the council says was avoidable``: ``which`` is a relative, not a question."""
    found = contents("The harvest was lost in the flood, which the council says was avoidable.", cues)
    assert any(c.startswith("was avoidable") for c in found)


def test_time_clause_stays_in_the_claim(cues):
    """``said that when X sought Y, they gave Z``: the time clause is part of what was said, not X's claim."""
    found = contents("The farmers said that when the board sought their land last spring, it offered them a "
                     "price below market value.", cues)
    assert found == ["when the board sought their land last spring, it offered them a price below market value"]


def test_contrast_clause_is_a_second_speakers_claim(cues):
    """``X said A, while B protested against C``: B's position is a claim."""
    found = claims("The company said it was reviewing the complaints, while the tenants' union has strongly "
                   "protested against the eviction notices.", cues)
    assert any(c.startswith("protested against the eviction notices") for c, _, _ in found)


def test_passive_speech_verb_names_no_speaker(cues):
    """``the crew ... was told there was no risk``: the crew was told; they are not the speaker."""
    found = claims("The crew checked the gauges and was told there was no risk of a leak, the inspectors said.", cues)
    assert [s for _, s, _ in found] == ["the inspectors"]


def test_addressee_alone_is_not_the_claim(cues):
    """``"...," an aide told reporters on Monday``: the quote is the claim, not ``told reporters``."""
    found = claims("“We will not sign this agreement in its present form,” an aide told reporters on Monday "
                   "after a meeting of the council.", cues)
    assert found == [("We will not sign this agreement in its present form", "an aide", "told")]


@pytest.mark.parametrize("text", [
    "The governor later called on the injured workers at the district hospital.",
    "The council agreed to postpone the vote until the audit was finished.",
])
def test_visits_and_decisions_are_not_claims(cues, text):
    """``called on the wounded`` is a visit; ``agreed to postpone`` is a decision, told as narration."""
    assert contents(text, cues) == []


def test_call_on_with_an_infinitive_is_a_claim(cues):
    found = contents("The teachers' union called on the province to restore the school budget.", cues)
    assert found == ["called on the province to restore the school budget"]
