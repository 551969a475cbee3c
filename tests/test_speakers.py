from stance.pipeline import extract_claims


def speakers(text):
    return [(c.speaker, c.speaker_resolved, c.speaker_group) for c in extract_claims(text)]


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
