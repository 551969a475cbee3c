"""The claims stage on the ways real news coverage attributes claims (our own sentences).

Each test is named after a kind of case that real coverage showed the rules
getting wrong: narration taken for attribution, attributions missed, and claim
boundaries that differ from ANNOTATION.md's.
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
