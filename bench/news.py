"""Benchmark news extraction: articles per second for article parsing + figure extraction.

Uses the corpus pages (the Chinese article in both scripts and NVIDIA's newsroom pages), each parsed and
extracted ``--rounds`` times. Run: uv run python bench/news.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.news.articles import parse_article
from tasks.news.entities import load_entities
from tasks.news.figures import FigureExtractor

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = sorted((CORPUS / "www.jiemian.com" / "article").glob("*.html")) + sorted(
        (CORPUS / "nvidianews.nvidia.com" / "news").iterdir())
    bodies = [(f"https://{p.relative_to(CORPUS)}", p.read_bytes()) for p in pages]
    entities = load_entities()
    start = time.perf_counter()
    figures = 0
    for _ in range(args.rounds):
        for url, body in bodies:
            article = parse_article(body, url)
            figures += len(FigureExtractor(entities, published="2025-02-28").extract(article.text))
    took = time.perf_counter() - start
    count = len(bodies) * args.rounds
    print(f"articles: {len(bodies)} × {args.rounds} rounds, {figures // args.rounds} figures per round")
    print(f"extraction: {count / took:.1f} articles/s ({took / count * 1000:.1f} ms per article)")


if __name__ == "__main__":
    main()
