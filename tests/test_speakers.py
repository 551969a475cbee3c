"""Stage 4: who speaks, their group, and which evidence decided it (issue 7).

Every article here is written for the test; none is taken from a corpus.
"""

import json

import pytest

from stance.pipeline import extract_claims, resolve_claims
from stance.records import Claim
from stance.speakers import resolve_mention


def speakers(text):
    return [(c.speaker, c.speaker_resolved, c.speaker_group) for c in extract_claims(text)]


def given(text, *triples):
    """``resolve_claims`` on (sentence, claim, speaker) triples; returns (resolved, group, source) each."""
    claims = [Claim(id=str(n), doc_id="t", sentence=s, claim=c, speaker=sp) for n, (s, c, sp) in enumerate(triples)]
    return [(c.speaker_resolved, c.speaker_group, c.speaker_group_source) for c in resolve_claims(text, claims)]


# --- the first behaviour, kept ---

def test_it_resolves_to_the_statement_issuer():
    text = ("Talks went well, said a statement from the US embassy here.\n\n"
            "It said the two sides were \"committed to moving forward\".")
    out = speakers(text)
    assert out[0] == ("the US embassy", "US embassy", "us")
    assert out[1] == ("It", "US embassy", "us")


def test_he_resolves_to_the_last_named_man():
    text = ("Maj Gen Athar Abbas, the military spokesman, spoke to reporters in Rawalpindi.\n\n"
            "He said the posts had not fired first.")
    resolved = speakers(text)[-1]
    assert resolved[0] == "He" and resolved[1] == "Athar Abbas" and resolved[2] == "pakistan_military"


def test_she_resolves_to_a_woman():
    text = ("Foreign Minister Hina Rabbani Khar met the envoy on Monday.\n\n"
            "She said Pakistan expected an apology for the attack.")
    assert speakers(text)[-1][1:] == ("Hina Rabbani Khar", "pakistan_civilian")


def test_the_statement_takes_its_issuer():
    text = ("The ISPR said the attack lasted two hours.\n\n"
            "The statement said the posts returned fire only after being hit.")
    assert speakers(text)[-1][1:] == ("ISPR", "pakistan_military")


# --- knowledge first: a known entity decides ---

@pytest.mark.parametrize("mention, resolved, group", [
    ("Kayani", "Ashfaq Parvez Kayani", "pakistan_military"),
    ("Central Command", "CENTCOM", "us"),
    ("Kirby", "John Kirby", "us"),
    ("the army chief", "Ashfaq Parvez Kayani", "pakistan_military"),
    ("the US ambassador", "Cameron Munter", "us"),
    ("Pentagon spokesman Capt. John Kirby", "John Kirby", "us"),
    ("the DGMO", "Ishfaq Nadeem", "pakistan_military"),
    ("DG ISPR Maj Gen Athar Abbas", "Athar Abbas", "pakistan_military"),
    ("the NATO secretary-general", "Anders Fogh Rasmussen", "us"),
    ("Brig Gen Stephen Clark, the investigating officer", "Stephen Clark", "us"),
    ("Foreign Office spokesman Abdul Basit", "Abdul Basit", "pakistan_civilian"),
    ("Senator Raza Rabbani, who chairs the PCNS", "Raza Rabbani", "pakistan_civilian"),
    ("PTI chairman Imran Khan", "Imran Khan", "pakistan_civilian"),
    ("the Jamaat-e-Islami", "Jamaat-e-Islami", "pakistan_civilian"),
    ("Maulana Samiul Haq, chairman of the Difa-i-Pakistan Council", "Samiul Haq", "pakistan_militant"),
    ("TTP spokesman Ehsanullah Ehsan", "Ehsanullah Ehsan", "pakistan_militant"),
    ("Karzai's spokesman Aimal Faizi", "Aimal Faizi", "other"),
    ("German Chancellor Angela Merkel", "Angela Merkel", "other"),
    ("Hasan Askari Rizvi", "Hasan Askari Rizvi", "other"),
])
def test_a_known_entity_decides_from_the_gazetteer(dispute, mention, resolved, group):
    assert resolve_mention(mention, dispute) == (resolved, group, "gazetteer")


@pytest.mark.parametrize("mention, group", [
    ("a senior Pakistani military official", "pakistan_military"),
    ("a Pakistani security official in Quetta", "pakistan_military"),
    ("Afghan officials", "other"),
    ("a Western diplomat in Islamabad", "other"),
    ("Pakistan", "pakistan_civilian"),
    ("Pakistani officials in Washington", "pakistan_civilian"),
    ("officials in Washington", "us"),
    ("an American official", "us"),
    ("US and Pakistani officials", "unattributed"),
    ("officials on both sides", "unattributed"),
    ("officials familiar with the negotiations", "unattributed"),
    ("a former Pentagon official", "other"),
    ("a Lahore-based defence analyst", "other"),
    ("the father of one of the soldiers", "other"),
    ("Islamist demonstrators", "pakistan_militant"),
    ("police in Peshawar", "pakistan_civilian"),
])
def test_role_nouns_with_an_affiliation_decide_by_rule(dispute, mention, group):
    resolved, got, source = resolve_mention(mention, dispute)
    assert (got, source) == (group, "rule"), (mention, resolved)


def test_another_sides_nationality_is_not_the_known_body(dispute):
    assert resolve_mention("the Indian army chief", dispute).group == "other"
    assert resolve_mention("a Chinese foreign ministry spokesman", dispute).group == "other"
    assert resolve_mention("the British Parliament", dispute).group == "other"


def test_a_surname_beside_another_name_is_someone_else(dispute):
    assert resolve_mention("Abdul Rehman", dispute).group is None  # not Sherry Rehman
    assert resolve_mention("Gul Zaman, a truck driver", dispute).group == "other"  # not Hamid Gul
    assert resolve_mention("Ms Rehman", dispute) == ("Sherry Rehman", "pakistan_civilian", "gazetteer")


def test_the_innermost_source_of_a_relay(dispute):
    assert resolve_mention("a Journal report citing US military officials", dispute).group == "us"
    assert resolve_mention("Dawn, quoting a senior Pakistani military officer", dispute).group == "pakistan_military"


def test_knowledge_silent_leaves_the_source_empty(dispute):
    assert resolve_mention("Farzana Bibi", dispute) == ("Farzana Bibi", None, None)
    assert resolve_mention("he", dispute) == ("he", None, None)
    assert resolve_mention("", dispute) == ("", "unattributed", "rule")


# --- the state as speaker ---

def test_the_state_speaks_through_its_government_unless_tied_to_the_armys_account():
    text = ("Pakistan demanded an unconditional apology for the raid on Monday.\n\n"
            "Pakistan said the coordinates of both posts had been handed to the coalition months earlier.")
    out = extract_claims(text)
    assert (out[0].speaker_group, out[0].speaker_group_source) == ("pakistan_civilian", "rule")
    assert (out[1].speaker_group, out[1].speaker_group_source) == ("pakistan_military", "context")


# --- resolution ---

def test_it_is_never_a_person():
    text = ("The Foreign Office summoned Cameron Munter on Sunday to lodge a protest.\n\n"
            "It said the raid was a violation of the country's sovereignty.")
    assert given(text, ("It said the raid was a violation of the country's sovereignty.",
                        "the raid was a violation of the country's sovereignty", "It"))[0][:2] == \
        ("Foreign Office", "pakistan_civilian")


def test_he_is_never_a_body_or_a_place():
    text = ("Gen John Allen, who commands the coalition, flew to Islamabad on Sunday. The Pakistan Army "
            "did not comment.\n\n"
            "He said he regretted the loss of life.")
    assert given(text, ("He said he regretted the loss of life.", "he regretted the loss of life", "He"))[0] == \
        ("John Allen", "us", "gazetteer")


def test_she_skips_a_nearer_man():
    text = ("Hillary Clinton spoke to the Pakistani prime minister, Yousuf Raza Gilani, by telephone.\n\n"
            "Gilani told her the talks could wait.\n\n"
            "She said the United States wanted to work through the problem together.")
    out = given(text, ("She said the United States wanted to work through the problem together.",
                       "the United States wanted to work through the problem together", "She"))
    assert out[0][:2] == ("Hillary Clinton", "us")


def test_he_across_paragraphs_goes_to_the_speaker_not_the_man_quoted_about():
    text = ("\"We will not accept this,\" said Maj Gen Athar Abbas. \"Kayani has told the corps commanders "
            "to answer any attack.\"\n\n"
            "He added that the ISAF liaison officers had been told where the posts were.")
    out = given(text, ("He added that the ISAF liaison officers had been told where the posts were.",
                       "the ISAF liaison officers had been told where the posts were", "He"))
    assert out[0][:2] == ("Athar Abbas", "pakistan_military")


def test_they_agrees_in_number():
    text = ("Pakistani military officials briefed a group of editors in Rawalpindi on Friday, while the US "
            "ambassador was in Karachi.\n\n"
            "They said the helicopters came back for a second pass.")
    assert given(text, ("They said the helicopters came back for a second pass.",
                        "the helicopters came back for a second pass", "They"))[0][1:] == \
        ("pakistan_military", "rule")


def test_the_report_and_his_investigation_take_the_issuer():
    text = ("Brig Gen Stephen Clark delivered his findings to Central Command on Thursday.\n\n"
            "His investigation found that both sides had made mistakes.\n\n"
            "The report said the posts were not on the coalition's maps.")
    out = given(text,
                ("His investigation found that both sides had made mistakes.",
                 "both sides had made mistakes", "His investigation"),
                ("The report said the posts were not on the coalition's maps.",
                 "the posts were not on the coalition's maps", "The report"))
    assert [o[1] for o in out] == ["us", "us"]
    assert out[0][2] == "gazetteer"


def test_a_news_release_speaks_for_its_issuer():
    text = ("The Defence Committee of the Cabinet met in Islamabad on Saturday and issued a news release.\n\n"
            "The release said all supplies to NATO would stop at once.")
    assert given(text, ("The release said all supplies to NATO would stop at once.",
                        "all supplies to NATO would stop at once", "The release"))[0][1] == "pakistan_civilian"


def test_a_quote_with_no_speaker_continues_the_previous_quote():
    text = ("\"Nobody on our side fired a shot,\" Maj Gen Ishfaq Nadeem told reporters.\n\n"
            "\"The posts asked again and again for the firing to stop.\"\n\n"
            "Diplomats are believed to have pressed for calm.")
    out = given(text,
                ("\"Nobody on our side fired a shot,\" Maj Gen Ishfaq Nadeem told reporters.",
                 "Nobody on our side fired a shot", "Maj Gen Ishfaq Nadeem"),
                ("\"The posts asked again and again for the firing to stop.\"",
                 "The posts asked again and again for the firing to stop.", ""),
                ("Diplomats are believed to have pressed for calm.", "to have pressed for calm", ""))
    assert out[1] == ("Ishfaq Nadeem", "pakistan_military", "gazetteer")
    assert out[2] == ("", "unattributed", "rule")


def test_the_official_and_the_general_point_back():
    text = ("A senior State Department official briefed reporters travelling with the secretary.\n\n"
            "\"We have expressed our regret,\" the official said.\n\n"
            "Lt Gen Asif Yasin Malik visited the border on Monday. The general said the wounded were recovering.")
    out = given(text,
                ("\"We have expressed our regret,\" the official said.", "We have expressed our regret", "the official"),
                ("The general said the wounded were recovering.", "the wounded were recovering", "The general"))
    assert out[0][1] == "us"
    assert out[1][:2] == ("Asif Yasin Malik", "pakistan_military")


def test_a_surname_goes_to_the_person_named_earlier_in_the_article():
    text = ("Abdul Rehman, who runs a tea stall below the ridge, watched the helicopters.\n\n"
            "\"They kept firing,\" Rehman said.")
    out = given(text, ("\"They kept firing,\" Rehman said.", "They kept firing", "Rehman"))
    assert out[0][1] == "other"  # the stall-keeper, not Sherry Rehman


def test_partitives_and_relative_pronouns_take_their_group():
    text = ("Two American officials spoke on condition of anonymity. One of them said the unit had been fired on.\n\n"
            "The Defa-e-Pakistan Council, whose leaders addressed the crowd, said the routes must stay shut.")
    out = given(text,
                ("One of them said the unit had been fired on.", "the unit had been fired on", "One of them"),
                ("The Defa-e-Pakistan Council, whose leaders addressed the crowd, said the routes must stay shut.",
                 "the routes must stay shut", "The Defa-e-Pakistan Council"))
    assert [o[1] for o in out] == ["us", "pakistan_militant"]


def test_a_spokesman_takes_the_body_named_before_him():
    text = ("The US embassy in Islamabad did not answer the charges, but a spokesman said Washington stood by "
            "the inquiry.")
    out = given(text, ("The US embassy in Islamabad did not answer the charges, but a spokesman said Washington "
                       "stood by the inquiry.", "Washington stood by the inquiry", "a spokesman"))
    assert out[0][1:] == ("us", "context")


# --- gold claims given: labels are never read ---

def test_resolve_given_never_reads_the_labels():
    text = ("Pentagon press secretary George Little said the United States regretted the deaths.\n\n"
            "He said the inquiry would be thorough.")
    sentences = [("Pentagon press secretary George Little said the United States regretted the deaths.",
                  "the United States regretted the deaths", "Pentagon press secretary George Little"),
                 ("He said the inquiry would be thorough.", "the inquiry would be thorough", "He")]
    honest = [Claim(id=str(i), doc_id="t", sentence=s, claim=c, speaker=sp) for i, (s, c, sp) in enumerate(sentences)]
    lying = [Claim(id=str(i), doc_id="t", sentence=s, claim=c, speaker=sp, speaker_resolved="Imran Khan",
                   speaker_group="pakistan_militant", stance="pakistan_military")
             for i, (s, c, sp) in enumerate(sentences)]
    a, b = resolve_claims(text, honest), resolve_claims(text, lying)
    assert [(c.speaker_resolved, c.speaker_group, c.speaker_group_source) for c in a] == \
        [(c.speaker_resolved, c.speaker_group, c.speaker_group_source) for c in b] == \
        [("George Little", "us", "gazetteer"), ("George Little", "us", "gazetteer")]
    assert lying[0].speaker_group == "pakistan_militant" and b[0].stance == "pakistan_military"  # copies


def test_a_claim_whose_sentence_is_not_in_the_article_uses_the_mention_alone():
    out = given("An unrelated article.", ("Gen Kayani said the raid was unprovoked.", "the raid was unprovoked",
                                          "Gen Kayani"))
    assert out[0] == ("Ashfaq Parvez Kayani", "pakistan_military", "gazetteer")


def test_every_extracted_claim_says_which_evidence_decided_its_group():
    text = ("Gen Ashfaq Parvez Kayani said the attack was deliberate.\n\n"
            "Afghan officials said the patrol had come under fire.\n\n"
            "Thousands of containers are believed to be stranded at Karachi port.")
    out = extract_claims(text)
    assert [(c.speaker_group, c.speaker_group_source) for c in out] == [
        ("pakistan_military", "gazetteer"), ("other", "rule"), ("unattributed", "rule")]


def test_speaker_group_source_round_trips_and_is_written_only_when_set():
    claim = Claim(id="1", doc_id="d", sentence="X said y.", claim="y", speaker="X", speaker_group="us",
                  stance="us", speaker_group_source="gazetteer")
    obj = json.loads(json.dumps(claim.to_json()))
    assert obj["speaker_group_source"] == "gazetteer"
    assert Claim.from_json(obj).speaker_group_source == "gazetteer"
    claim.speaker_group_source = None
    assert "speaker_group_source" not in claim.to_json()


def test_a_transcript_turn_gives_the_floor_to_its_speaker():
    text = ("Briefing by the Pentagon press secretary\n\n"
            "MR. LITTLE: We regret the loss of life on the border, and the inquiry will establish the facts.\n\n"
            "Q: Was it two hours?\n\n"
            "CAPT. KIRBY: I am not going to get ahead of the investigation.")
    out = given(text,
                ("We regret the loss of life on the border, and the inquiry will establish the facts.",
                 "We regret the loss of life on the border", ""),
                ("I am not going to get ahead of the investigation.",
                 "I am not going to get ahead of the investigation", "I"))
    assert out == [("George Little", "us", "gazetteer"), ("John Kirby", "us", "gazetteer")]


def test_a_dateline_is_not_a_turn_and_us_is_not_we():
    text = ("ISLAMABAD: The US said on Monday it regretted the deaths.\n\n"
            "Officials are widely believed to have argued for an apology.")
    out = given(text, ("ISLAMABAD: The US said on Monday it regretted the deaths.", "it regretted the deaths", "The US"),
                ("Officials are widely believed to have argued for an apology.", "to have argued for an apology", ""))
    assert out == [("US government", "us", "gazetteer"), ("", "unattributed", "rule")]
