"""Router accuracy on labeled data: the held-out split, and whole sources held out.

    python -m benchmarks.router_accuracy [--data benchmarks/data/router_starter.jsonl] [--config FILE | --preset cpu]

1. The held-out split, scored by the model and thresholds of the config (the `cpu` preset ships one):
   3-class accuracy and confusion matrix, simple-vs-complex accuracy (rows labeled with the cheapest or the
   most capable tier; "simple" means routed to the cheapest tier), quality (share routed at or above the
   label) and the top tier's share, for each stage (lexical, semantic, the cascade the config runs).
2. Sources held out: the row split shares each dataset's system prompt across splits, so (1) flatters the
   model. Here whole sources (one evals set, GSM8K, ...) are left out of training in K folds and scored, with
   models retrained per fold on the same recipe: the figure to expect on traffic unlike the training data.
Writes benchmarks/results/router_accuracy.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.report import write_report
from server.cli.router import learned_classifier
from server.routing.features import RequestFeatures, extract_features
from server.routing.learned.artifact import RouterModel, load_model
from server.routing.learned.thresholds import adequacy, choose_many
from server.routing.learned.training import Example, read_examples, train
from server.routing.learned.vectors import numeric_vector
from server.routing.wiring import load_encoder, resolve_router_model
from server.settings import load_settings

DEFAULT_DATA = Path(__file__).parent / "data" / "router_starter.jsonl"
DEFAULT_OUT = Path(__file__).parent / "results" / "router_accuracy.json"


@dataclass(frozen=True, slots=True)
class StageProbabilities:
    lexical: np.ndarray
    semantic: np.ndarray


def stage_probabilities(
    model: RouterModel, features: list[RequestFeatures], embeddings: np.ndarray
) -> StageProbabilities:
    numeric = [model.scaled_numeric(numeric_vector(f)) for f in features]
    lexical = np.stack([model.lexical_probabilities(f.routing_text, x) for f, x in zip(features, numeric, strict=True)])
    semantic = np.stack([model.semantic_probabilities(e, x) for e, x in zip(embeddings, numeric, strict=True)])
    return StageProbabilities(lexical, semantic)


def cascade(stages: StageProbabilities, confidence: float) -> tuple[np.ndarray, float]:
    confident = stages.lexical.max(axis=1) >= confidence
    return np.where(confident[:, None], stages.lexical, stages.semantic), float(confident.mean())


def scores(probabilities: np.ndarray, labels: np.ndarray, thresholds: list[float], tiers: list[str]) -> dict[str, Any]:
    chosen = choose_many(adequacy(probabilities), thresholds)
    top = len(tiers) - 1
    extremes = (labels == 0) | (labels == top)
    confusion = np.zeros((len(tiers), len(tiers)), dtype=int)
    np.add.at(confusion, (labels, chosen), 1)
    return {
        "accuracy": float(np.mean(chosen == labels)),
        "simple_vs_complex": float(np.mean((chosen[extremes] == 0) == (labels[extremes] == 0))),
        "quality": float(np.mean(chosen >= labels)),
        "top_share": float(np.mean(chosen == top)),
        "confusion": {tiers[i]: dict(zip(tiers, map(int, confusion[i]), strict=True)) for i in range(len(tiers))},
    }


def fold_of(source: str, folds: int) -> int:
    return int(hashlib.sha256(source.encode()).hexdigest(), 16) % folds


def sources_held_out(
    rows: list[dict[str, Any]],
    examples: list[Example],
    embeddings: np.ndarray,
    tiers: list[str],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Train on the train split of K-1 source folds, score every row of the held-out fold; pool the folds."""
    features = [extract_features(e.body) for e in examples]
    labels = np.array([e.label for e in examples])
    folds = np.array([fold_of(str(r["source"]), args.folds) for r in rows])
    pooled: dict[str, list[np.ndarray]] = {"lexical": [], "semantic": [], "cascade": []}
    pooled_labels = []
    for fold in range(args.folds):
        train_rows = [i for i in range(len(rows)) if folds[i] != fold and rows[i].get("split") == "train"]
        test_rows = [i for i in range(len(rows)) if folds[i] == fold]
        model = train(
            [examples[i] for i in train_rows], None, tiers, embedder_name="minilm", embeddings=embeddings[train_rows]
        )
        stages = stage_probabilities(model, [features[i] for i in test_rows], embeddings[test_rows])
        pooled["lexical"].append(stages.lexical)
        pooled["semantic"].append(stages.semantic)
        pooled["cascade"].append(cascade(stages, args.confidence)[0])
        pooled_labels.append(labels[test_rows])
    all_labels = np.concatenate(pooled_labels)
    thresholds = [0.5] * (len(tiers) - 1)
    return {name: scores(np.concatenate(parts), all_labels, thresholds, tiers) for name, parts in pooled.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path)
    group.add_argument("--preset", default="cpu")
    parser.add_argument("--folds", type=int, default=5, help="source folds for the held-out-sources score")
    parser.add_argument("--skip-sources", action="store_true", help="only score the held-out split")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    settings = load_settings(args.config, preset=args.preset)
    tiers = [t.name for t in settings.tiers]
    classifier = learned_classifier(settings)
    args.confidence = classifier.fast_path_confidence
    thresholds = list(classifier.thresholds)
    started = time.perf_counter()
    model_dir = resolve_router_model(settings.routing.learned.model if settings.routing.learned else "bundled:cpu")
    load_model(model_dir)
    load_ms = (time.perf_counter() - started) * 1000

    heldout = read_examples(args.data, tiers, "heldout")
    features = [extract_features(e.body) for e in heldout]
    labels = np.array([e.label for e in heldout])
    encoder = load_encoder(None)
    embeddings = np.asarray(encoder.encode([f.routing_text for f in features]))
    stages = stage_probabilities(classifier.model, features, embeddings)
    mixed, fast_share = cascade(stages, args.confidence)
    split_scores = {
        "lexical": scores(stages.lexical, labels, thresholds, tiers),
        "semantic": scores(stages.semantic, labels, thresholds, tiers),
        "cascade": scores(mixed, labels, thresholds, tiers),
    }
    report: dict[str, Any] = {
        "benchmark": "router_accuracy",
        "data": args.data.name,
        "model_version": classifier.version,
        "model_load_ms": round(load_ms, 1),
        "thresholds": dict(zip(tiers[:-1], thresholds, strict=True)),
        "fast_path_confidence": args.confidence,
        "heldout": {"rows": len(heldout), "fast_path_share": fast_share, **split_scores},
    }
    print(f"model {classifier.version} loads in {load_ms:.0f} ms; thresholds {report['thresholds']}")
    print(
        f"held-out split ({len(heldout)} rows; the lexical stage decided {fast_share:.0%} alone, "
        f"at confidence {args.confidence}):"
    )
    for name, s in split_scores.items():
        print(
            f"  {name:9s} accuracy {s['accuracy']:.1%}  simple-vs-complex {s['simple_vs_complex']:.1%}  "
            f"quality {s['quality']:.1%}  {tiers[-1]} share {s['top_share']:.1%}"
        )
    print("  confusion (rows: label, columns: routed), cascade:")
    for label, row in split_scores["cascade"]["confusion"].items():
        print(f"    {label:10s} " + "  ".join(f"{tier} {n:4d}" for tier, n in row.items()))

    if not args.skip_sources:
        rows = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
        examples = read_examples(args.data, tiers, None)
        all_embeddings = np.asarray(encoder.encode([extract_features(e.body).routing_text for e in examples]))
        held = sources_held_out(rows, examples, all_embeddings, tiers, args)
        report["sources_held_out"] = {"folds": args.folds, "thresholds": 0.5, **held}
        print(f"whole sources held out ({args.folds} folds, retrained per fold, thresholds 0.5):")
        for name, s in held.items():
            print(
                f"  {name:9s} accuracy {s['accuracy']:.1%}  simple-vs-complex {s['simple_vs_complex']:.1%}  "
                f"quality {s['quality']:.1%}  {tiers[-1]} share {s['top_share']:.1%}"
            )
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
