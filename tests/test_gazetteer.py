"""The default dispute's gazetteer: every entry loads, and every alias and role resolves back to it."""

from collections import defaultdict

import pytest

from stance.dispute import DEFAULT_DISPUTE, KINDS, load_dispute
from stance.errors import InputError
from stance.speakers import resolve_mention


def test_every_entity_loads_with_a_known_group_and_kind(dispute):
    assert len(dispute.entities) > 300  # the real actors of Nov 2011 - Jul 2012, not one article's
    for name, entity in dispute.entities.items():
        assert entity.group in dispute.group_labels, name
        assert entity.kind in KINDS, name
        if entity.kind == "person" and any(a.entity == name and not a.role for a in dispute.aliases):
            assert entity.gender in ("male", "female"), f"{name}: a person needs a gender for he/she"
    named = {a.entity for a in dispute.aliases}
    assert set(dispute.entities) <= named, set(dispute.entities) - named


def test_no_alias_names_two_entities(dispute):
    owners = defaultdict(set)
    for alias in dispute.aliases:
        owners[(alias.words, alias.role)].add(alias.entity)
    clashes = {" ".join(words): names for (words, _), names in owners.items() if len(names) > 1}
    assert not clashes


def _alias_cases():
    dispute = load_dispute()
    seen = set()
    for alias in dispute.aliases:
        key = (alias.entity, alias.words, alias.role)
        if key in seen:
            continue
        seen.add(key)
        yield pytest.param(alias, id=f"{alias.entity}|{' '.join(alias.words)}{'|role' if alias.role else ''}")


@pytest.mark.parametrize("alias", list(_alias_cases()))
def test_each_alias_and_role_resolves_to_its_entity(alias, dispute):
    written = " ".join(w.upper() if alias.cased else w for w in alias.words)
    if alias.cased:  # "Dawn", "US": written as a name is written
        written = " ".join(w.capitalize() if len(w) > 3 else w.upper() for w in alias.words)
    mention = f"the {written}" if alias.role else written
    resolved, group, source = resolve_mention(mention, dispute)
    assert group == alias.group, (mention, resolved, group)
    assert source == "gazetteer", (mention, source)
    if alias.kind == "person" or alias.role:
        assert resolved == alias.entity, (mention, resolved)


def test_an_indefinite_role_gives_the_group_not_the_person(dispute):
    assert resolve_mention("a Pentagon spokesman", dispute) == ("Pentagon spokesman", "us", "rule")
    assert resolve_mention("the Pentagon spokesman", dispute).resolved == "John Kirby"


def test_the_first_list_form_still_loads(tmp_path):
    text = DEFAULT_DISPUTE.read_text(encoding="utf-8")
    start = text.index("[gazetteer.us]")
    end = text.index("# Common nouns that name a side")
    old_form = ('[gazetteer.us]\n"US embassy" = ["US embassy", "American embassy"]\n'
                '[gazetteer.pakistan_civilian]\n"Hina Rabbani Khar" = ["Khar", "Hina Rabbani Khar"]\n\n'
                '[people]\nfemale = ["Hina Rabbani Khar"]\n\n')
    path = tmp_path / "old.toml"
    path.write_text(text[:start] + old_form + text[end:].replace("[people]\n", "[people_more]\n"), encoding="utf-8")
    old = load_dispute(path)
    assert resolve_mention("the American embassy", old) == ("US embassy", "us", "gazetteer")
    assert old.entities["Hina Rabbani Khar"].gender == "female"


@pytest.mark.parametrize("entry, message", [
    ('"X" = { kind = "robot", aliases = ["X"] }', "kind must be"),
    ('"X" = { gender = "other", aliases = ["X"] }', "gender must be"),
    ('"X" = { alias = ["X"] }', "unknown field 'alias'"),
])
def test_a_bad_entry_names_itself(tmp_path, entry, message):
    text = DEFAULT_DISPUTE.read_text(encoding="utf-8").replace("[gazetteer.us]\n", "[gazetteer.us]\n" + entry + "\n", 1)
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_dispute(path)
