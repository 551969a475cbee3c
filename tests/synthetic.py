"""Small labelled claim sets for unit tests (made up here, not real coverage)."""

from stance.records import Claim

US = ["the strike was an accident", "our troops were fired on first", "forces acted in self-defence",
      "we want to work with Pakistan again", "it was a tragic mistake"]
PK = ["the attack was deliberate", "it violated our sovereignty", "no shots came from the posts",
      "an apology is owed", "the routes stay closed"]
NEUTRAL = ["the two sides met on Monday", "the talks covered trade", "the funeral was held in Peshawar"]


def synthetic_claims(n_docs: int = 12) -> list[Claim]:
    out = []
    for d in range(n_docs):
        rows = [("US officials", "us", "us", US), ("The army", "pakistan_military", "pakistan_military", PK),
                ("A villager", "other", "neutral", NEUTRAL)]
        for k, (speaker, group, stance, pool) in enumerate(rows):
            claim = pool[(d + k) % len(pool)]
            sentence = f"{speaker} said {claim}."
            out.append(Claim(id=f"doc{d}-{k}", doc_id=f"doc{d}", sentence=sentence, claim=claim, speaker=speaker,
                             speaker_resolved=speaker, speaker_group=group, stance=stance))
    return out
