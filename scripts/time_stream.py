#!/usr/bin/env python3
"""Write a long, time-ordered JSONL stream from the ECB+ documents, to measure whether the cost per article
grows as closed stories pile up. Pass r over the corpus (982 documents) is dated in days 90r to 90r+29
(each ECB+ topic on its own day), so each pass's events close before the next pass opens: the number of open
stories stays the same while closed ones grow with the stream. Each document keeps its event label
(`subtopic#pass`), gets a new id, an outlet, and its body sentences lightly reordered, as in the acceptance
checks' stream generator.

    python3 scripts/time_stream.py ../shared/data/ecbplus/documents.jsonl 1000000 /tmp/t1m.jsonl
    head -100000 /tmp/t1m.jsonl > /tmp/t100k.jsonl
    /usr/bin/time -f "%e s %M KB" target/release/parallax ingest --db /tmp/t.db /tmp/t1m.jsonl

Standard library only; the same arguments always write the same stream.
"""
import datetime
import json
import random
import sys


def main() -> None:
    src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(7)
    docs = [json.loads(line) for line in open(src, encoding="utf-8")]
    outlets = [f"Outlet {i}" for i in range(300)]
    start = datetime.date(2020, 1, 1)
    with open(out, "w", encoding="utf-8") as f:
        for k in range(n):
            d = docs[k % len(docs)]
            rep = k // len(docs)
            sents = [s["text"] for s in d["sentences"] if "http" not in s["text"].replace(" ", "")]
            body = sents[1:]
            if len(body) > 3:
                i = rng.randrange(1, len(body))
                body = body[:i] + body[i:][::-1]
            topic = int(d["subtopic"].split("_")[0])
            date = (start + datetime.timedelta(days=90 * rep + topic % 30)).isoformat()
            f.write(json.dumps({"id": f"{d['doc_id']}#{rep}", "title": sents[0] if sents else "",
                                "text": "\n\n".join(body), "outlet": rng.choice(outlets), "published": date,
                                "date": date, "label": f"{d['subtopic']}#{rep}"}) + "\n")


if __name__ == "__main__":
    main()
