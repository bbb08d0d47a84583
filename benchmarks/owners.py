"""How well an owner cell is told for a person, a team, a role, a placeholder or a company, on the labelled
corpus of tests/owners_corpus.py: precision and recall for "is a person" and "is a team", and the confusion
matrix, over the whole corpus and over its held-out part; with --misses, every string read wrongly.
Run: python -m benchmarks.owners [--misses]
"""

from __future__ import annotations

import argparse
from collections import Counter

from tests.owners_corpus import HELD_OUT, LABELS, Measure, corpus, measure


def report(part: str, found: Measure) -> None:
    """The figures of one part of the corpus, and its confusion matrix."""
    print(
        f"\n{part}: is a person: precision {found.precision('person'):.2%}, "
        f"recall {found.recall('person'):.2%} (floor 99.5%)\n"
        f"{part}: is a team: precision {found.precision('team'):.2%}, "
        f"recall {found.recall('team'):.2%}, caught {found.team_caught:.2%} (floor 95%)"
    )
    columns = [*LABELS, "unsure"]
    print("label \\ read as " + "".join(f"{name:>12}" for name in columns))
    for label in LABELS:
        print(f"{label:<16}" + "".join(f"{found.matrix[label][name]:>12}" for name in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every string read wrongly")
    args = parser.parse_args()
    items = corpus()
    labels = Counter(item.label for item in items)
    print(
        f"owners: {len(items)} labelled strings ({', '.join(f'{n} {label}' for label, n in labels.items())})"
    )
    found, misses = measure(items)
    report("all", found)
    report(HELD_OUT, measure([item for item in items if item.source.startswith(HELD_OUT)])[0])
    if args.misses:
        print()
        for item, read in misses:
            print(f"{item.label:>11} read as {read:<11} {item.text!r}  ({item.source})")


if __name__ == "__main__":
    main()
