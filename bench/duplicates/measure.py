"""Run the duplicate detector over the labelled pairs and print one JSON line.

    .venv/bin/python bench/duplicates/measure.py [--pairs FILE] [--threshold 0.5] [--sweep] [-v]

Prints {"pairs", "threshold", "tp", "fp", "fn", "tn", "precision", "recall", "f1"}; --sweep prints
one line per threshold from 0.20 to 0.80; -v also lists the misclassified pairs with their scores.
The rule and the similarity are the ones intake uses (xiaoneng.complaints.textsim).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from xiaoneng.complaints import textsim  # noqa: E402


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure duplicate detection on labelled pairs.")
    parser.add_argument("--pairs", default=str(Path(__file__).with_name("pairs.jsonl")))
    parser.add_argument("--threshold", type=float, default=textsim.TEXT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="try thresholds 0.20 … 0.80")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the errors")
    args = parser.parse_args()
    pairs = load(Path(args.pairs))
    thresholds = [t / 100 for t in range(20, 81, 5)] if args.sweep else [args.threshold]
    by_id = {p["id"]: p for p in pairs}
    for threshold in thresholds:
        result = textsim.evaluate(pairs, threshold=threshold)
        errors = result.pop("errors")
        print(json.dumps(result))
        if args.verbose:
            for error in errors:
                pair = by_id[error["id"]]
                a, b = textsim.pair_doc(pair["a"]), textsim.pair_doc(pair["b"])
                score = textsim.text_score(b, a)
                print(f"  {error['error']} {pair['id']} score={score:.3f}")
                print(f"    a: {pair['a']['title']} | {pair['a']['content']}")
                print(f"    b: {pair['b']['title']} | {pair['b']['content']}")


if __name__ == "__main__":
    main()
