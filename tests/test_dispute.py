import pytest

from stance.dispute import DEFAULT_DISPUTE, load_dispute
from stance.errors import InputError
from stance.speakers import canonical_name, gazetteer_group


def test_default_labels(dispute):
    assert dispute.stance_labels == ["us", "pakistan_military", "neutral"]
    assert dispute.group_labels == ["us", "pakistan_military", "pakistan_civilian", "pakistan_militant",
                                    "other", "unattributed"]


@pytest.mark.parametrize("mention, group", [
    ("Gen John Allen", "us"), ("American authorities", "us"), ("the US embassy", "us"),
    ("a Pakistani military statement", "pakistan_military"), ("ISPR", "pakistan_military"),
    ("Maj Gen Athar Abbas", "pakistan_military"), ("Prime Minister Yousuf Raza Gilani", "pakistan_civilian"),
    ("Pakistani officials", "pakistan_civilian"), ("The Defa-e-Pakistan Council", "pakistan_militant"),
    ("The Tehrik-e-Taliban Pakistan", "pakistan_militant"), ("Afghan officials", "other"),
    ("a security analyst in Lahore", "other"), ("the US government", "us"), ("the army", "pakistan_military"),
    ("Rehman Malik", "pakistan_civilian"), ("someone", None),
])
def test_gazetteer_group(dispute, mention, group):
    assert gazetteer_group(mention, dispute) == group


def test_canonical_names(dispute):
    assert canonical_name("Gen James Mattis", dispute) == "James Mattis"
    assert canonical_name("The American military", dispute) == "US military"  # a known body's name
    assert canonical_name("The Bolivian navy", dispute) == "Bolivian navy"  # unknown: less its determiner


def test_another_dispute_from_a_copied_file(tmp_path):
    text = DEFAULT_DISPUTE.read_text(encoding="utf-8")
    text = text.replace('[stance]\nus = ', '[stance]\npro = ').replace("pakistan_military = \"The strike was", "anti = \"The strike was")
    path = tmp_path / "other.toml"
    path.write_text(text, encoding="utf-8")
    other = load_dispute(path)
    assert other.stance_labels == ["pro", "anti", "neutral"]


def test_bad_dispute_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[stance\n", encoding="utf-8")
    with pytest.raises(InputError, match="broken.toml"):
        load_dispute(path)
