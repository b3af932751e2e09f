"""Router accuracy on the labelled corpus, with whole task families held out, against the baselines.

    python -m benchmarks.router_accuracy [--data benchmarks/data/router_corpus.jsonl] [--preset cpu | --config F]
        [--folds 5] [--probe benchmarks/data/router_probe.jsonl] [--out benchmarks/results/router_accuracy.json]

1. Headline, families held out: the families (or benchmark sources) are split into K folds; for each fold a
   model is trained on the recipe of `tierd router train` from the other folds' rows and scores every row of
   the held-out families. Pooled over folds: simple-vs-complex and 3-class accuracy, the confusion matrix,
   per stage (lexical, semantic, the cascade the config runs), per language and per family.
2. Baselines on the same rows (benchmarks/router_folds.py): the best prompt-length cut, the preset's keyword
   rules, and a random router with the model's tier split.
3. Secondary: the model the config ships, on the corpus's held-out row split (rows of families it was trained
   on: this measures recognition, not generalisation), and on the hand-written probe, if given.
Labels come from each row's difficulty through the preset's `routing.learned.labels`.
Writes benchmarks/results/router_accuracy.json (or `--out`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.report import write_report
from benchmarks.router_folds import best_length_cut, breakdown, family_folds, random_router, route_scores
from server.cli.router import label_map, learned_classifier
from server.routing.classifiers.rules import RulesClassifier
from server.routing.features import RequestFeatures, extract_features
from server.routing.learned.artifact import RouterModel
from server.routing.learned.thresholds import adequacy, choose_many
from server.routing.learned.training import Example, file_sha256, read_examples, train
from server.routing.learned.vectors import embedding_text, numeric_vector
from server.routing.wiring import classifier_context, load_encoder
from server.settings import Settings, load_settings

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_DATA = DATA_DIR / "router_corpus.jsonl"
DEFAULT_PROBE = DATA_DIR / "router_probe.jsonl"
DEFAULT_OUT = Path(__file__).parent / "results" / "router_accuracy.json"
EMBEDDING_CACHE = Path(__file__).parent / "out" / "router_embeddings.npz"
STAGES = ("lexical", "semantic", "cascade")


def stage_probabilities(
    model: RouterModel, features: list[RequestFeatures], embeddings: np.ndarray, confidence: float
) -> dict[str, np.ndarray]:
    numeric = [model.scaled_numeric(numeric_vector(f)) for f in features]
    lexical = np.stack([model.lexical_probabilities(f.routing_text, x) for f, x in zip(features, numeric, strict=True)])
    semantic = np.stack(
        [
            model.semantic_probabilities(f.routing_text, e, x)
            for f, e, x in zip(features, embeddings, numeric, strict=True)
        ]
    )
    confident = lexical.max(axis=1) >= confidence
    return {"lexical": lexical, "semantic": semantic, "cascade": np.where(confident[:, None], lexical, semantic)}


class Corpus:
    """The rows, their features and embeddings, computed once for every fold and baseline."""

    def __init__(self, path: Path, settings: Settings, encoder: Any, cache: Path = EMBEDDING_CACHE) -> None:
        self.tiers = [t.name for t in settings.tiers]
        self.label_map = label_map(settings)
        self.rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.examples: list[Example] = read_examples(path, self.tiers, None, self.label_map)
        self.features = [extract_features(e.body) for e in self.examples]
        self.labels = np.array([e.label for e in self.examples])
        self.clear = np.array([r.get("difficulty") in ("simple", "complex") for r in self.rows])
        self.languages = [str(r.get("language", "?")) for r in self.rows]
        started = time.perf_counter()
        self.embeddings = cached_embeddings(encoder, [embedding_text(f.routing_text) for f in self.features], cache)
        self.embed_seconds = time.perf_counter() - started


def cached_embeddings(encoder: Any, texts: list[str], cache: Path = EMBEDDING_CACHE) -> np.ndarray:
    """Embeddings keyed by a hash of the text, kept between runs (benchmarks/out/, not committed): reruns
    after a change to the model or the folds do not pay minutes of MiniLM again."""
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    known: dict[str, np.ndarray] = {}
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            known = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    missing = sorted({k for k in keys if k not in known})
    if missing:
        text_of = dict(zip(keys, texts, strict=True))
        vectors = np.asarray(encoder.encode([text_of[k] for k in missing]), dtype=np.float32)
        known.update(zip(missing, vectors, strict=True))
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            np.savez(fh, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys]).astype(np.float32)


def families_held_out(corpus: Corpus, folds: int, confidence: float, thresholds: list[float]) -> dict[str, Any]:
    families = [e.family for e in corpus.examples]
    assignment = family_folds(families, folds)
    fold_of_row = np.array([assignment[f] for f in families])
    n = len(corpus.examples)
    chosen = {stage: np.zeros(n, dtype=np.int64) for stage in STAGES}
    for fold in range(folds):
        train_rows = np.flatnonzero(fold_of_row != fold)
        test_rows = np.flatnonzero(fold_of_row == fold)
        if not len(test_rows):
            continue
        model = train(
            [corpus.examples[i] for i in train_rows],
            None,
            corpus.tiers,
            embedder_name="minilm",
            embeddings=corpus.embeddings[train_rows],
        )
        stages = stage_probabilities(
            model, [corpus.features[i] for i in test_rows], corpus.embeddings[test_rows], confidence
        )
        for stage, probabilities in stages.items():
            chosen[stage][test_rows] = choose_many(adequacy(probabilities), thresholds)
    result: dict[str, Any] = {
        "folds": folds,
        "families": {str(k): sorted(f for f, v in assignment.items() if v == k) for k in range(folds)},
        **route_scores(chosen["cascade"], corpus.labels, corpus.clear, corpus.tiers),
        "stages": {s: route_scores(chosen[s], corpus.labels, corpus.clear, corpus.tiers) for s in STAGES},
        "by_language": breakdown(chosen["cascade"], corpus.labels, corpus.clear, corpus.languages),
        "by_family": breakdown(chosen["cascade"], corpus.labels, corpus.clear, families),
    }
    result["_chosen"] = chosen["cascade"]
    return result


def baselines(corpus: Corpus, settings: Settings, chosen: np.ndarray) -> dict[str, Any]:
    clear = corpus.clear
    lengths = [f.prompt_chars for f in corpus.features]
    out: dict[str, Any] = {
        "length_cut": best_length_cut([lengths[i] for i in np.flatnonzero(clear)], corpus.labels[clear]),
        "random": random_router(chosen[clear], corpus.labels[clear], len(corpus.tiers)),
    }
    if settings.routing.rules is not None:
        rules = RulesClassifier.from_config(settings.routing.rules, classifier_context(settings))
        routed = np.array([corpus.tiers.index(rules.classify(f).min_tier) for f in corpus.features])
        scored = route_scores(routed, corpus.labels, clear, corpus.tiers)
        out["keyword_rules"] = {k: scored[k] for k in ("simple_vs_complex", "accuracy")}
    return out


def shipped_model(settings: Settings, examples: list[Example], clear: np.ndarray, tiers: list[str]) -> dict[str, Any]:
    classifier = learned_classifier(settings)
    staged = classifier.scores_many([extract_features(e.body) for e in examples])
    chosen = choose_many(adequacy(np.stack([s.probabilities for s in staged])), classifier.thresholds)
    return route_scores(chosen, np.array([e.label for e in examples]), clear, tiers)


def _line(name: str, s: dict[str, Any]) -> str:
    return (
        f"  {name:22s} simple-vs-complex {s['simple_vs_complex']:.1%}"
        + (f"  3-class {s['accuracy']:.1%}" if "accuracy" in s else "")
        + (f"  quality {s['quality']:.1%}" if "quality" in s else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--config", type=Path)
    group.add_argument("--preset", default="cpu")
    parser.add_argument("--folds", type=int, default=5, help="family folds (default 5)")
    parser.add_argument("--probe", type=Path, default=DEFAULT_PROBE, help="hand-written requests, scored as is")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--embedding-cache", type=Path, default=EMBEDDING_CACHE, help="embeddings kept between runs")
    args = parser.parse_args(argv)

    settings = load_settings(args.config, preset=args.preset)
    classifier = learned_classifier(settings)
    thresholds, confidence = list(classifier.thresholds), classifier.fast_path_confidence
    corpus = Corpus(args.data, settings, load_encoder(None), args.embedding_cache)
    print(
        f"{len(corpus.rows)} rows of {args.data.name}, {len({e.family for e in corpus.examples})} families; "
        f"embedded in {corpus.embed_seconds:.0f} s; thresholds {thresholds}, fast path at {confidence}"
    )
    held = families_held_out(corpus, args.folds, confidence, thresholds)
    chosen = held.pop("_chosen")
    base = baselines(corpus, settings, chosen)
    split_rows = [i for i, r in enumerate(corpus.rows) if r.get("split") == "heldout"]
    row_split = shipped_model(
        settings, [corpus.examples[i] for i in split_rows], corpus.clear[split_rows], corpus.tiers
    )
    report: dict[str, Any] = {
        "benchmark": "router_accuracy",
        "data": args.data.name,
        "data_sha256": file_sha256(args.data),
        "preset": None if args.config else args.preset,
        "tiers": corpus.tiers,
        "labels": corpus.label_map,
        "model_version": classifier.version,
        "thresholds": dict(zip(corpus.tiers[:-1], thresholds, strict=True)),
        "fast_path_confidence": confidence,
        "family_heldout": held,
        "baselines": base,
        "row_split": {"note": "the shipped model on the held-out row split: families it was trained on", **row_split},
    }
    print(f"families held out ({args.folds} folds, retrained per fold), {held['clear_rows']} simple/complex rows:")
    for stage in STAGES:
        print(_line(stage, held["stages"][stage]))
    for name, scores in base.items():
        print(_line(f"baseline {name}", scores))
    print("  confusion (rows: label, columns: routed), cascade:")
    for label, row in held["confusion"].items():
        print(f"    {label:10s} " + "  ".join(f"{tier} {n:5d}" for tier, n in row.items()))
    print("  by language: " + ", ".join(f"{k} {v['simple_vs_complex']:.0%}" for k, v in held["by_language"].items()))
    print(_line("row split (shipped)", row_split))
    if args.probe.is_file():
        probe_rows = [json.loads(line) for line in args.probe.read_text(encoding="utf-8").splitlines() if line]
        probe = read_examples(args.probe, corpus.tiers, None, corpus.label_map)
        probe_clear = np.array([r.get("difficulty") in ("simple", "complex") for r in probe_rows])
        report["probe"] = {"data": args.probe.name, **shipped_model(settings, probe, probe_clear, corpus.tiers)}
        print(_line("hand-written probe", report["probe"]))
    write_report(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
