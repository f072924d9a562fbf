"""Train the offline NLU models (scikit-learn) and export them for the TypeScript runtime.

Trains on the TRAIN splits of ../shared/data only. Hyper-parameters are chosen on a validation
split carved out of train (stratified 10 %), then the model is refit on the whole train split.
Test splits are never read here: they are measured by `npm run eval` through the TypeScript code.

Exported model = TF-IDF word n-grams + TF-IDF char_wb n-grams (FeatureUnion, each part
l2-normalised, sublinear tf) -> multinomial logistic regression. Weights are quantised to int8
per class; the golden file is produced with the *dequantised* weights put back into sklearn, so
the parity test compares the TypeScript code with exactly what ships.

Usage: python3 scripts/nlu/train.py [--quick]   (--quick skips the C search)
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NLU_DATA_DIR", ROOT.parent / "shared" / "data"))
MODELS = ROOT / "src" / "ai" / "offline" / "nlu" / "models"
GOLDEN = ROOT / "tests" / "fixtures" / "nlu-golden.json"
SEED = 20261123

# Label of the extra out-of-scope class added to the bitext intent model (greetings, thanks, small
# talk): bitext has no such class, and without one "hi" would be forced into a support intent.
OTHER = "other"

# CLINC150 intents that are plainly not customer-support requests (small_talk domain plus a few
# conversational meta intents). Only CLINC's train split is used for training.
CLINC_OTHER = {
    "who_made_you", "meaning_of_life", "who_do_you_work_for", "do_you_have_pets",
    "what_are_your_hobbies", "fun_fact", "what_is_your_name", "where_are_you_from", "goodbye",
    "thank_you", "greeting", "tell_joke", "are_you_a_bot", "how_old_are_you",
    "what_can_i_ask_you", "yes", "no", "maybe", "repeat",
}

# Twitter-specific noise; the same regexes are applied in src/ai/offline/nlu/vectorizer.ts.
MENTION = re.compile(r"@[A-Za-z0-9_]+")
URL = re.compile(r"https?://[^\s]+")


def normalise_tweet(text: str) -> str:
    return URL.sub("http", MENTION.sub("@user", text))


def read_csv(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r[text_col] for r in rows], [r[label_col] for r in rows]


def other_examples() -> list[str]:
    clinc = json.loads((DATA / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    texts = [t for t, label in clinc["train"] if label in CLINC_OTHER]
    texts += [t for t, _ in clinc["oos_train"]]
    lines = (Path(__file__).parent / "data" / "chitchat.txt").read_text(encoding="utf-8").splitlines()
    own = [l.strip() for l in lines if l.strip() and not l.startswith("#")]
    rng = random.Random(SEED)
    rng.shuffle(texts)
    # Keep the class about the size of the bitext classes (~640) so it does not dominate; the
    # hand-written lines are repeated to weigh the very short messages ("ok", "hi").
    return texts[:600] + own * 2


def make_vectorizer(cfg: dict) -> FeatureUnion:
    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=tuple(cfg["word"]), sublinear_tf=True,
                                 min_df=cfg["min_df"], dtype=np.float64)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(cfg["char"]),
                                 sublinear_tf=True, min_df=cfg["min_df"], dtype=np.float64)),
    ])


def fit(cfg: dict, texts: list[str], labels: list[str], C: float):
    vec = make_vectorizer(cfg)
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=C, max_iter=3000)
    clf.fit(X, labels)
    return vec, clf


def choose_c(cfg: dict, texts: list[str], labels: list[str], grid: list[float]) -> float:
    tr_x, va_x, tr_y, va_y = train_test_split(texts, labels, test_size=0.1, stratify=labels,
                                              random_state=SEED)
    best = (-1.0, grid[0])
    for C in grid:
        vec, clf = fit(cfg, tr_x, tr_y, C)
        pred = clf.predict(vec.transform(va_x))
        acc = accuracy_score(va_y, pred)
        print(f"  C={C}: val acc {acc:.4f} macro-F1 {f1_score(va_y, pred, average='macro'):.4f}",
              flush=True)
        if acc > best[0]:
            best = (acc, C)
    return best[1]


def quantise(clf: LogisticRegression) -> tuple[np.ndarray, np.ndarray]:
    """int8 per class: w ~= q * scale[c]. Returns (q [features x classes], scales)."""
    coef = clf.coef_  # classes x features
    scales = np.abs(coef).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    q = np.clip(np.rint(coef / scales[:, None]), -127, 127).astype(np.int8)
    return q.T.copy(), scales


def round_sig(values: np.ndarray, digits: int = 7) -> list[float]:
    return [float(f"{v:.{digits}g}") for v in values]


def export(name: str, cfg: dict, vec: FeatureUnion, clf: LogisticRegression, meta: dict) -> None:
    q, scales = quantise(clf)
    scales_r = np.array(round_sig(scales))
    bias_r = np.array(round_sig(clf.intercept_))
    parts = []
    for part_name, part in vec.transformer_list:
        vocab = part.vocabulary_
        terms = [""] * len(vocab)
        for term, idx in vocab.items():
            terms[idx] = term
        idf = np.array(round_sig(part.idf_))
        # Put the rounded idf back so that sklearn (golden file) and TypeScript use the same numbers.
        part.idf_ = idf
        parts.append({
            "analyzer": part.analyzer,
            "ngram": list(part.ngram_range),
            "terms": terms,
            "idf": idf.tolist(),
        })
    # Put the dequantised weights back: every later prediction in this script is what ships.
    clf.coef_ = (q.T.astype(np.float64) * scales_r[:, None])
    clf.intercept_ = bias_r
    model = {
        "name": name,
        "format": 1,
        "preprocess": cfg.get("preprocess", "none"),
        "labels": [str(c) for c in clf.classes_],
        "vectorizers": parts,
        "weights": base64.b64encode(q.tobytes()).decode("ascii"),
        "scales": scales_r.tolist(),
        "bias": bias_r.tolist(),
        "meta": meta,
    }
    MODELS.mkdir(parents=True, exist_ok=True)
    out = MODELS / f"{name}.json"
    out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"  wrote {out.relative_to(ROOT)} ({out.stat().st_size / 1e6:.2f} MB, "
          f"{q.shape[0]} features x {q.shape[1]} classes)", flush=True)


TASKS = {
    "bitext": {
        "word": [1, 2], "char": [2, 5], "min_df": 2, "grid": [10.0, 30.0],
    },
    "banking77": {
        "word": [1, 3], "char": [1, 5], "min_df": 2, "grid": [10.0, 30.0],
    },
    "airline": {
        "word": [1, 2], "char": [2, 5], "min_df": 2, "grid": [1.0, 3.0, 10.0],
        "preprocess": "tweet",
    },
}


def load_task(name: str) -> tuple[list[str], list[str]]:
    if name == "bitext":
        texts, labels = read_csv(DATA / "bitext-customer-support" / "train.csv", "utterance", "intent")
        extra = other_examples()
        return texts + extra, labels + [OTHER] * len(extra)
    if name == "banking77":
        return read_csv(DATA / "banking77" / "train.csv", "text", "category")
    texts, labels = read_csv(DATA / "airline-sentiment" / "train.csv", "text", "airline_sentiment")
    return [normalise_tweet(t) for t in texts], labels


def export_english_words() -> None:
    """Words seen at least 3 times in the English training texts (bitext, Banking77, our chit-chat).

    The language detector (src/ai/offline/nlu/language.ts) counts how many words of a message are
    in this list: a statistical detector alone is unreliable on 1-3 word messages ("ok", "cancel
    order"), and those are common in chat.
    """
    counts: dict[str, int] = {}
    texts = load_task("bitext")[0] + load_task("banking77")[0]
    for text in texts:
        text = re.sub(r"\{\{[^}]*\}\}", " ", text.lower())
        for w in re.findall(r"[^\W\d_]+", text):
            counts[w] = counts.get(w, 0) + 1
    # The hand-written chit-chat lines are English by construction: keep all their words.
    chat = (Path(__file__).parent / "data" / "chitchat.txt").read_text(encoding="utf-8").lower()
    chat = "\n".join(l for l in chat.splitlines() if not l.startswith("#"))
    for w in re.findall(r"[^\W\d_]+", chat):
        counts[w] = counts.get(w, 0) + 3
    words = sorted(w for w, c in counts.items() if c >= 3 and len(w) <= 20)
    out = MODELS / "english-words.json"
    out.write_text(json.dumps(words, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)} ({len(words)} words)")


def golden_texts() -> list[str]:
    """A fixed mix of texts for the parity test: train-split samples, chit-chat and odd inputs."""
    rng = random.Random(SEED)
    texts: list[str] = []
    for name in ("bitext", "banking77", "airline"):
        t, _ = load_task(name)
        texts += rng.sample(t, 30)
    texts += [
        "hi", "thank you so much", "ok", "", "   ", "Quiero cancelar mi pedido",
        "Ich möchte meine Bestellung stornieren", "naïve café résumé ÉCOLE", "I'M FURIOUS!!! 😡",
        "order #12345 never arrived... where is it??", "x", "a b c", "tab\tseparated\nnew line",
    ]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the C search (use grid[0])")
    parser.add_argument("--only", choices=list(TASKS), help="train one model")
    args = parser.parse_args()

    fitted = {}
    for name, cfg in TASKS.items():
        if args.only and name != args.only:
            continue
        t0 = time.time()
        texts, labels = load_task(name)
        print(f"{name}: {len(texts)} train texts, {len(set(labels))} labels", flush=True)
        C = cfg["grid"][0] if args.quick else choose_c(cfg, texts, labels, cfg["grid"])
        vec, clf = fit(cfg, texts, labels, C)
        train_acc = accuracy_score(labels, clf.predict(vec.transform(texts)))
        meta = {"C": C, "trainRows": len(texts), "trainAccuracy": round(train_acc, 4),
                "word": cfg["word"], "char": cfg["char"], "minDf": cfg["min_df"],
                "sklearn": __import__("sklearn").__version__}
        export(name, cfg, vec, clf, meta)
        fitted[name] = (cfg, vec, clf)
        print(f"  C={C} train acc {train_acc:.4f} ({time.time() - t0:.0f} s)", flush=True)

    export_english_words()
    if args.only:
        print("--only: golden file not rewritten", file=sys.stderr)
        return
    golden = []
    for text in golden_texts():
        row: dict = {"text": text}
        for name, (cfg, vec, clf) in fitted.items():
            x = normalise_tweet(text) if cfg.get("preprocess") == "tweet" else text
            proba = clf.predict_proba(vec.transform([x]))[0]
            best = int(np.argmax(proba))
            row[name] = {"label": str(clf.classes_[best]), "p": round(float(proba[best]), 6)}
        golden.append(row)
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)} ({len(golden)} texts)")


if __name__ == "__main__":
    main()
