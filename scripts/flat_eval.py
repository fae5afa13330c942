#!/usr/bin/env python3
"""Score the flattened-text extractor on real pages: each page of the article-extraction benchmark is
flattened the way a copy of a page's visible text is (block elements end lines, paragraphs and headings are
set apart by a blank line, scripts, styles and form controls leave nothing), written as `.txt`, read back by
`parallax extract --json`, and scored against the human bodies with the benchmark's own metric (word 4-gram
shingles, macro-averaged; the scorer of `../shared/peers`).

    python3 scripts/flat_eval.py ../shared/data/article-extraction-benchmark ../shared/peers \
        [--te ../shared/data/trafilatura-eval] [--keep] [target/release/parallax]

Two layouts are scored: `full` (the whole page's text, navigation included) and `from-h1` (from the first
`<h1>` on, as a scrape that starts at the article, seed 000's layout). Each line prints the keep-everything
baseline and Parallax's precision, recall and F1, and a second line how often the title found in the
flattened page is the title Parallax finds in the HTML page (equal, or with the site's name added or taken). With `--te`, the 990 pages of trafilatura-eval are
flattened and scored too, with its snippet metric. `--keep` keeps the flattened pages and the outputs (their
folder is printed). Standard library only, plus the peers' scorer.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

BLOCK = set(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tr td th ul title option".split()
)
PARAGRAPH = set("p h1 h2 h3 h4 h5 h6 blockquote pre table".split())
SKIP = set("script style noscript template svg head iframe select button".split())


class Flattener(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []  # (text, inside or after the first <h1>, starts a paragraph)
        self.cur = []
        self.skip = 0
        self.h1 = False
        self.par = False

    def flush(self):
        t = re.sub(r"\s+", " ", "".join(self.cur)).strip()
        if t:
            self.lines.append((t, self.h1, self.par))
            self.par = False
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        if tag == "h1":
            self.h1 = True
        if tag in BLOCK:
            self.flush()
        if tag in PARAGRAPH:
            self.par = True

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def norm(s):
    """A title compared without case, punctuation or spacing."""
    return re.sub(r"\W+", " ", (s or "").lower()).strip()


def flatten(html, from_h1):
    f = Flattener()
    f.feed(html)
    f.flush()
    lines = f.lines
    if from_h1:
        start = next((i for i, (_, h, _) in enumerate(lines) if h), 0)
        lines = lines[start:]
    return "".join(("\n\n" if par and i else "\n" if i else "") + t for i, (t, _, par) in enumerate(lines)) + "\n"


def score(binary, pages_dir, name, scorer, keep):
    """Flattens every page of `pages_dir`, extracts the text files and prints the scores of both layouts."""
    from _common import out_name  # the peers' naming of a page's output file
    pages = sorted(n for n in os.listdir(pages_dir) if n.endswith((".html.gz", ".html")))
    work = tempfile.mkdtemp(prefix="flat-eval-")
    html_titles = None
    for layout in ("full", "from-h1"):
        src, pred = os.path.join(work, layout), os.path.join(work, layout + "-pred")
        os.makedirs(src)
        os.makedirs(pred)
        for n in pages:
            path = os.path.join(pages_dir, n)
            raw = gzip.open(path).read() if n.endswith(".gz") else open(path, "rb").read()
            with open(os.path.join(src, out_name(n)), "w", encoding="utf-8") as f:
                f.write(flatten(raw.decode("utf-8", "replace"), layout == "from-h1"))
        files = sorted(os.path.join(src, n) for n in os.listdir(src))
        out = subprocess.run([binary, "extract", "--json", *files], capture_output=True, check=True, text=True)
        for line in out.stdout.splitlines():
            a = json.loads(line)
            with open(os.path.join(pred, os.path.basename(a["source"])), "w", encoding="utf-8") as f:
                f.write(a.get("text") or "")
        base, ours = scorer(src), scorer(pred)
        print(
            f"{name} {layout:8} keep-all P {base['precision']:.4f} R {base['recall']:.4f} F1 {base['f1']:.4f} | "
            f"parallax P {ours['precision']:.4f} R {ours['recall']:.4f} F1 {ours['f1']:.4f}"
        )
        flat_titles = {os.path.basename(a["source"]): a.get("title") for a in map(json.loads, out.stdout.splitlines())}
        if html_titles is None:
            html = subprocess.run(
                [binary, "extract", "--json", *(os.path.join(pages_dir, n) for n in pages)],
                capture_output=True, check=True, text=True,
            )
            html_titles = {out_name(os.path.basename(a["source"])): a.get("title") for a in map(json.loads, html.stdout.splitlines())}
        equal = near = total = 0
        for n, title in html_titles.items():
            h, f = norm(title), norm(flat_titles.get(n))
            if not h:
                continue
            total += 1
            equal += f == h
            # One holds the other and is not much shorter: the HTML title with the site's name appended.
            near += f != h and bool(f) and (f in h or h in f) and min(len(f), len(h)) * 5 >= max(len(f), len(h)) * 2
        print(
            f"{name} {layout:8} titles: of {total} pages with an HTML title, the flattened page's title equals it on "
            f"{equal / total:.1%}, holds it or is held by it (2/5 of its length or more) on {near / total:.1%}"
        )
    if keep:
        print(f"{name} flattened pages and outputs kept in {work}")
    else:
        shutil.rmtree(work)


def main():
    aeb, peers = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    te = rest.pop(rest.index("--te") + 1) if "--te" in rest else None
    keep = "--keep" in rest
    rest = [r for r in rest if r not in ("--te", "--keep")]
    binary = rest[0] if rest else "target/release/parallax"
    sys.path.insert(0, peers)
    import score_extraction  # noqa: E402

    truth = os.path.join(aeb, "ground-truth.json")
    score(binary, os.path.join(aeb, "html"), "AEB", lambda d: score_extraction.score_aeb(d, truth), keep)
    if te:
        evaldata = os.path.join(te, "evaldata.json")
        score(binary, os.path.join(te, "html"), "TE ", lambda d: score_extraction.score_evaldata(d, evaldata), keep)


if __name__ == "__main__":
    main()
