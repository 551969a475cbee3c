import json

import pytest

from stance.errors import InputError
from stance.io import atomic_write, read_claims

GOOD = {"id": "d-1", "doc_id": "d", "sentence": "The army said the strike was deliberate.",
        "claim": "the strike was deliberate", "speaker": "The army", "speaker_group": "pakistan_military",
        "stance": "pakistan_military"}


def write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")


def test_good_records_and_unknown_fields_kept(tmp_path, dispute):
    path = tmp_path / "gold.jsonl"
    write(path, [GOOD | {"source_url": "x"}])
    claim, = read_claims([path], dispute)
    assert claim.speaker_resolved == "The army"  # defaults to the mention
    assert claim.extra["source_url"] == "x"


def test_every_bad_line_is_listed(tmp_path, dispute):
    path = tmp_path / "bad.jsonl"
    rows = [GOOD, {k: v for k, v in GOOD.items() if k != "stance"} | {"id": "d-2"},
            GOOD | {"id": "d-3", "stance": "pro-nato"}, GOOD | {"id": "d-4", "claim": "not there"},
            "{not json", GOOD]
    write(path, rows)
    with pytest.raises(InputError) as err:
        read_claims([path], dispute)
    lines = str(err.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]
    assert "missing field stance" in lines[0]
    assert "unknown stance label 'pro-nato'" in lines[1]
    assert "not a substring" in lines[2]
    assert "invalid JSON" in lines[3]
    assert "duplicate id" in lines[4]


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "out.jsonl"
    path.write_text("old\n")

    class Boom(Exception):
        pass

    def explode(*a, **k):
        raise Boom

    monkeypatch.setattr("os.replace", explode)
    with pytest.raises(Boom):
        atomic_write(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
