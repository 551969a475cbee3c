"""Claims a user gives: who speaks comes from the speakers stage, or from the record when it says."""

from stance.given import as_given, without_labels
from stance.records import Claim


def _record(**fields):
    return Claim.from_json({"id": "1", "sentence": "He said the strike was a mistake.", "claim": "the strike was a mistake",
                            "speaker": "He", **fields})


def test_a_record_with_only_a_speaker_gets_its_group_from_knowledge(dispute):
    claim = as_given(Claim.from_json({"id": "1", "sentence": "Kayani said no.", "claim": "no", "speaker": "Kayani"}),
                     dispute)
    assert (claim.speaker_resolved, claim.speaker_group, claim.speaker_group_source) == (
        "Ashfaq Parvez Kayani", "pakistan_military", "gazetteer")


def test_a_record_that_gives_its_speaker_group_keeps_it(dispute):
    claim = as_given(_record(speaker_group="us"), dispute)
    assert (claim.speaker_group, claim.speaker_group_source) == ("us", "given")


def test_a_record_that_gives_speaker_resolved_is_placed_by_that_name(dispute):
    claim = as_given(_record(speaker_resolved="John Kirby"), dispute)
    assert (claim.speaker, claim.speaker_group, claim.speaker_group_source) == ("He", "us", "gazetteer")


def test_a_bare_pronoun_leaves_the_group_to_the_model(dispute):
    claim = as_given(_record(), dispute)
    assert claim.speaker_group_source is None


def test_gold_labels_are_dropped_before_a_model_sees_a_claim():
    bare = without_labels(_record(speaker_resolved="John Kirby", speaker_group="us", stance="us"))
    assert (bare.speaker_resolved, bare.speaker_group, bare.stance) == ("", None, None)


def test_training_names_come_from_the_resolver(dispute, tmp_path):
    from stance.training.data import with_resolved_speakers

    (tmp_path / "a.txt").write_text("Gen Ashfaq Parvez Kayani said the attack was deliberate.\n\n"
                                    "He said the posts had not fired.\n", encoding="utf-8")
    gold = [Claim("a-1", "a", "He said the posts had not fired.", "the posts had not fired", "He",
                  speaker_resolved="the army chief (annotator's gloss)", speaker_group="pakistan_military",
                  stance="pakistan_military"),
            Claim("b-1", "b", "X said y.", "y", "X", speaker_resolved="X gloss", speaker_group="other", stance="neutral")]
    out = with_resolved_speakers(gold, tmp_path, dispute)
    assert out[0].speaker_resolved == "Ashfaq Parvez Kayani" and out[0].stance == "pakistan_military"
    assert out[1] == gold[1]  # no article: as annotated
