"""stance annotate without a browser: queue order, journal, undo, restart, the gold file, the server's guards."""

from __future__ import annotations

import http.client
import json
import signal
from urllib.parse import urlsplit

import pytest

from annotate_fixtures import SEED, start_server, tiny_model_dir  # noqa: F401 - a fixture
from stance.annotate.journal import Journal, in_force
from stance.annotate.queue import Article, review_order, uncertainty
from stance.annotate.session import ActionError, Session, journal_path
from stance.records import Claim

OTHER = SEED.parent / "b01_us-inquiry-both-sides-erred.txt"


@pytest.fixture(scope="module")
def articles(tiny_model_dir):
    from stance.annotate.queue import pre_annotate
    from stance.models import load_model
    from stance.reader import read_document

    model = load_model(tiny_model_dir)
    return model, pre_annotate([read_document(SEED), read_document(OTHER)], model)


def session(articles, out):
    model, arts = articles
    return Session(arts, out, model.dispute, label=lambda c: model.label([c])[0])


def _claim(doc, n, top):
    return Claim(id=f"{doc}-{n}", doc_id=doc, sentence="s", claim="c", claim_span=(n, n + 1),
                 stance_scores={"us": top, "neutral": 1 - top}, speaker_group_scores={"us": 1.0})


def test_queue_takes_the_least_certain_first_in_turns_across_articles():
    a = Article(None, [], [_claim("a", 1, 0.9), _claim("a", 2, 0.5), _claim("a", 3, 0.6)])
    b = Article(None, [], [_claim("b", 1, 0.7), _claim("b", 2, 0.95)])
    assert uncertainty(_claim("a", 2, 0.5)) == pytest.approx(0.5)
    assert [c.id for c in review_order([a, b])] == ["a-2", "b-1", "a-3", "b-2", "a-1"]


def test_undo_takes_back_the_latest_action_in_force():
    acts = [{"op": "accept", "id": "1"}, {"op": "edit", "id": "2"}, {"op": "undo"}, {"op": "reject", "id": "3"},
            {"op": "undo"}, {"op": "undo"}, {"op": "undo"}]
    assert in_force(acts[:3]) == acts[:1]
    assert in_force(acts[:4]) == [acts[0], acts[3]]
    assert in_force(acts) == []


def test_a_torn_last_line_is_dropped_and_the_next_action_starts_clean(tmp_path):
    journal = Journal(tmp_path / "j")
    journal.append({"op": "accept", "id": "x-1"})
    with open(journal.path, "ab") as handle:
        handle.write(b'{"op": "acc')  # killed while writing
    assert journal.read() == [{"op": "accept", "id": "x-1"}]
    journal.append({"op": "reject", "id": "x-2"})
    assert Journal(journal.path).read() == [{"op": "accept", "id": "x-1"}, {"op": "reject", "id": "x-2"}]


def test_decisions_edits_and_added_claims_are_saved_as_contract_records(articles, tmp_path, dispute):
    from stance.io import read_claims
    from stance.training.data import load_training_data

    out = tmp_path / "gold.jsonl"
    s = session(articles, out)
    first = s.current()
    s.act({"op": "edit", "id": first.id, "stance": "pakistan_military", "speaker_group": "other"})
    s.act({"op": "edit", "id": first.id, "span": [first.claim_span[0], first.claim_span[1] - 3]})
    s.act({"op": "accept", "id": first.id})
    s.act({"op": "reject", "id": s.current().id})
    nxt = s.current()
    s.act({"op": "add", "doc_id": nxt.doc_id, "span": [nxt.sentence_span[0], nxt.sentence_span[0] + 20]})
    added = s.current()
    assert added.id.startswith(nxt.doc_id + "-a") and added.claim in added.sentence
    s.act({"op": "edit", "id": added.id, "speaker_span": list(nxt.speaker_span) if nxt.speaker_span else None})
    s.act({"op": "accept", "id": added.id})
    gold = read_claims([out], dispute)  # the contract's checks: labels, claim inside its sentence
    assert {c.id for c in gold} == {first.id, added.id}
    saved = next(c for c in gold if c.id == first.id)
    assert (saved.stance, saved.speaker_group) == ("pakistan_military", "other")
    assert saved.claim == first.claim[:-3].rstrip() and saved.claim in saved.sentence
    assert saved.stance_scores is None and "speaker_group_source" not in json.loads(out.read_text().splitlines()[0])
    assert [c.id for c in load_training_data([out], dispute)] == [c.id for c in gold]  # what `stance train` reads
    assert s.progress()["done"] == 3  # two accepted, one rejected

    again = session(articles, out)  # a restart replays the journal: same state, same next claim
    assert again.current().id == s.current().id and again.progress() == s.progress()
    again.act({"op": "undo"})
    assert again.current().id == added.id
    assert {c.id for c in read_claims([out], dispute)} == {first.id}


@pytest.mark.parametrize("action, problem", [
    ({"op": "edit", "id": "nope", "stance": "us"}, "no claim"),
    ({"op": "edit", "stance": "maybe"}, "unknown stance"),
    ({"op": "edit", "span": [5, 5]}, "span"),
    ({"op": "edit", "span": "all"}, "span"),
    ({"op": "launch"}, "unknown action"),
    ({"op": "accept", "id": ["a"]}, "no claim"),
    ({"op": "add", "doc_id": {}, "span": [0, 5]}, "no article"),
])
def test_a_bad_action_is_refused_and_not_journaled(articles, tmp_path, action, problem):
    s = session(articles, tmp_path / "gold.jsonl")
    action = {"id": s.current().id, **action}
    with pytest.raises(ActionError, match=problem):
        s.act(action)
    assert not journal_path(tmp_path / "gold.jsonl").exists()


def test_an_existing_file_without_a_journal_is_not_overwritten(tmp_path):
    from stance.annotate.session import check_out
    from stance.errors import InputError

    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"id": "x"}\n')
    with pytest.raises(InputError, match="no journal"):
        check_out(mine, [])
    assert mine.read_text() == '{"id": "x"}\n'


# -- the server, as a user runs it -------------------------------------------------------------
def request(url, method="GET", path="/api/state", body=None, headers=None):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def token_of(url):
    return url.split("token=")[1]


def post(url, action, **extra):
    headers = {"Content-Type": "application/json", "X-Stance-Token": token_of(url), **extra}
    status, data = request(url, "POST", "/api/action", action, headers)
    return status, json.loads(data) if data.startswith(b"{") else data


def test_the_server_refuses_requests_without_the_token_or_from_other_sites(tiny_model_dir, tmp_path):
    proc, url = start_server([SEED], tmp_path / "gold.jsonl", tiny_model_dir)
    try:
        token = token_of(url)
        assert request(url, path=f"/?token={token}")[0] == 200
        assert request(url, path=f"/api/state?token={token}")[0] == 200
        assert request(url, path="/")[0] == 403
        assert request(url, path="/api/state?token=" + "x" * len(token))[0] == 403
        assert request(url, path=f"/?token={token}", headers={"Host": "evil.example:80"})[0] == 403
        state = json.loads(request(url, path=f"/api/state?token={token}")[1])
        accept = {"op": "accept", "id": state["current"]["id"]}
        # a write needs the token in a header (not the URL), JSON, and no foreign Origin
        in_url = request(url, "POST", f"/api/action?token={token}", accept, {"Content-Type": "application/json"})
        assert in_url[0] == 403
        assert post(url, accept, Origin="http://evil.example")[0] == 403
        assert post(url, accept, **{"Sec-Fetch-Site": "cross-site"})[0] == 403
        status, _ = request(url, "POST", "/api/action", accept,
                            {"Content-Type": "text/plain", "X-Stance-Token": token})
        assert status == 415
        assert not journal_path(tmp_path / "gold.jsonl").exists()
        status, answer = post(url, accept, Origin=f"http://127.0.0.1:{urlsplit(url).port}")
        assert status == 200 and answer["progress"]["done"] == 1
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_server_loses_nothing_acknowledged(tiny_model_dir, tmp_path, dispute):
    from stance.io import read_claims

    out = tmp_path / "gold.jsonl"
    proc, url = start_server([SEED, OTHER], out, tiny_model_dir)
    decided = []
    try:
        for n in range(5):
            current = json.loads(request(url, path=f"/api/state?token={token_of(url)}")[1])["current"]
            op = "reject" if n == 2 else "accept"
            status, _ = post(url, {"op": op, "id": current["id"]})
            assert status == 200
            decided.append((op, current["id"]))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with open(journal_path(out), "ab") as handle:  # and it died in the middle of a sixth
            handle.write(b'{"op": "accept", "id": "seed')
    finally:
        proc.kill()
        proc.wait()
    assert [(a["op"], a["id"]) for a in Journal(journal_path(out)).read()] == decided
    assert [c.id for c in read_claims([out], dispute)] != []

    proc, url = start_server([SEED, OTHER], out, tiny_model_dir)
    try:
        state = json.loads(request(url, path=f"/api/state?token={token_of(url)}")[1])
        assert state["progress"]["done"] == 5 and state["progress"]["rejected"] == 1
        assert state["current"]["id"] not in {i for _, i in decided}
        saved = {c.id for c in read_claims([out], dispute)}
        assert saved == {i for op, i in decided if op == "accept"}
    finally:
        proc.kill()
        proc.wait()


def test_training_continues_from_an_existing_model(tiny_model_dir, tmp_path, seed_claims):
    """--init: the new model starts from the given one's weights (both heads), not from the base encoder."""
    from safetensors.torch import load_file

    from stance.cli import main

    import shutil

    from safetensors.torch import save_file

    start = tmp_path / "start"  # the tiny model with its encoder moved away from the base encoder's weights
    shutil.copytree(tiny_model_dir, start)
    weights = {k: v + 0.5 if k.startswith("encoder.") else v for k, v in load_file(str(start / "model.safetensors")).items()}
    save_file(weights, str(start / "model.safetensors"), metadata={"format": "pt"})
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(c.to_json(spans=False)) + "\n" for c in seed_claims))
    out = tmp_path / "adapted"
    assert main(["--no-progress", "train", str(data), "--out", str(out), "--init", str(start),
                 "--epochs", "1", "--learning-rate", "0", "--dev-fraction", "0"]) == 0
    summary = json.loads((out / "training_summary.json").read_text())
    assert summary["method"] == "finetune" and summary["init"] == str(start)
    # learning rate 0 on the encoder: its weights are exactly those it started from (the heads have their own)
    before, after = load_file(str(start / "model.safetensors")), load_file(str(out / "model.safetensors"))
    assert before.keys() == after.keys() and any(k.startswith("heads.") for k in before)
    assert all((before[k] == after[k]).all() for k in before if k.startswith("encoder."))
    assert main(["train", str(data), "--out", str(tmp_path / "x"), "--init", str(tmp_path)]) == 2


def test_bad_input_is_one_line_and_exit_2_before_any_server_starts(tiny_model_dir, tmp_path, capsys):
    from stance.cli import main

    out = tmp_path / "gold.jsonl"
    assert main(["annotate", str(tmp_path / "missing.txt"), "--out", str(out), "--model", str(tiny_model_dir)]) == 2
    err = capsys.readouterr().err
    assert "missing.txt: no such file" in err and "no article to annotate" in err and not out.exists()
    out.write_text('{"id": "mine"}\n')
    assert main(["annotate", str(SEED), "--out", str(out), "--model", str(tiny_model_dir)]) == 2
    assert "no journal" in capsys.readouterr().err and out.read_text() == '{"id": "mine"}\n'
    assert main(["annotate", str(SEED), "--out", str(tmp_path / "g2.jsonl"), "--model", str(tmp_path)]) == 2


def test_an_html_article_is_corrected_by_what_the_browser_shows(articles, tmp_path, dispute):
    """Spans index the page's markup; a boundary is trimmed of markup and the claim is the text shown."""
    from stance.annotate.queue import pre_annotate
    from stance.io import read_claims
    from stance.reader import document_from_text

    model, _ = articles
    html = ("<html><body><article><p>The Pakistani military said the attack was &#8220;unprovoked&#8221; and "
            "<em>deliberate</em>, officials said.</p></article></body></html>")
    s = Session(pre_annotate([document_from_text(html, "page", is_html=True)], model), tmp_path / "g.jsonl",
                model.dispute)
    claim = s.current()
    end = html.index("</em>") + len("</em>")
    s.act({"op": "edit", "id": claim.id, "span": [html.index("the attack"), end]})
    s.act({"op": "accept", "id": claim.id})
    saved = read_claims([tmp_path / "g.jsonl"], dispute)[0]
    assert saved.claim == "the attack was “unprovoked” and deliberate"
    assert saved.claim_span[1] == html.index("</em>")
