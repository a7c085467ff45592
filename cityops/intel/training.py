"""Training and evaluating the category classifier.

The model is a scikit-learn pipeline: TF-IDF over syllable unigrams and bigrams and over
character 2–5-grams (inside syllables), each over the accented and the unaccented stream of the
normalised text (``features``), the character block weighted half, then a multinomial logistic
regression, whose probabilities are the suggestion's scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from cityops.intel import store
from cityops.intel.corpus import (
    Example,
    challenge_examples,
    corpus_examples,
    counts_by_category,
    examples_hash,
)
from cityops.intel.features import char_features, word_features
from cityops.platform import clock

CHAR_WEIGHT = 0.5  # character n-grams help with typos but outnumber words ten to one
REGULARISATION_C = 20.0
TOLERANCE = 1e-3  # four times faster to train than the default, same accuracy
EVALUATION_TEST_SIZE = 0.25
EVALUATION_SEED = 42


def build_pipeline() -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("words", TfidfVectorizer(analyzer=word_features, sublinear_tf=True)),
                        ("chars", TfidfVectorizer(analyzer=char_features, sublinear_tf=True)),
                    ],
                    transformer_weights={"words": 1.0, "chars": CHAR_WEIGHT},
                ),
            ),
            (
                "model",
                LogisticRegression(C=REGULARISATION_C, tol=TOLERANCE, max_iter=5000),
            ),
        ]
    )


def fit(examples: Sequence[Example]) -> Pipeline:
    pipeline = build_pipeline()
    pipeline.fit([e.text for e in examples], [e.category for e in examples])
    return pipeline


def training_examples(*, include_database: bool) -> tuple[list[Example], dict[str, int]]:
    """The shipped corpus plus, when asked, every operator-confirmed report; and their sources."""
    examples = corpus_examples()
    sources = {"corpus": len(examples)}
    if include_database:
        from cityops.intel.selectors import confirmed_examples

        confirmed = confirmed_examples()
        examples += confirmed
        sources["database"] = len(confirmed)
    return examples, sources


def classifier_train(*, include_database: bool = True) -> store.ModelBundle:
    """Train on the corpus (and the database), store the model as a new version, make it current.

    ``include_database=False`` never touches the database: it is what the first suggestion
    in a fresh installation uses, possibly from an async view.
    """
    examples, sources = training_examples(include_database=include_database)
    now = clock.now().astimezone(UTC)
    bundle = store.ModelBundle(
        version=f"{now:%Y%m%dT%H%M%S%fZ}-{examples_hash(examples)}",
        trained_at=now.isoformat(),
        pipeline=fit(examples),
        counts=counts_by_category(examples),
        sources=sources,
        sklearn_version=sklearn.__version__,
    )
    store.bundle_save(bundle=bundle)
    return bundle


@dataclass(frozen=True)
class Evaluation:
    """How the classifier does on text it has never seen."""

    labels: list[str]
    accuracy: float
    macro_f1: float
    confusion: list[list[int]]  # rows: true category, columns: predicted, in ``labels`` order
    train_size: int
    test_size: int
    challenge_accuracy: float
    challenge_size: int


def classifier_evaluate(
    *, test_size: float = EVALUATION_TEST_SIZE, seed: int = EVALUATION_SEED
) -> Evaluation:
    """A stratified held-out split of the corpus (fixed seed), then the challenge set.

    The held-out model trains on the rest of the corpus only; the challenge set is read by a
    model trained on the whole corpus, which has never seen it. Nothing is stored.
    """
    examples = corpus_examples()
    train, test = train_test_split(
        examples,
        test_size=test_size,
        stratify=[e.category for e in examples],
        random_state=seed,
    )
    pipeline = fit(train)
    labels = [str(label) for label in pipeline.classes_]
    truth = [e.category for e in test]
    predicted = list(pipeline.predict([e.text for e in test]))

    challenge = challenge_examples()
    full = fit(examples)
    challenge_predicted = list(full.predict([e.text for e in challenge]))
    return Evaluation(
        labels=labels,
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, average="macro")),
        confusion=confusion_matrix(truth, predicted, labels=labels).tolist(),
        train_size=len(train),
        test_size=len(test),
        challenge_accuracy=float(
            accuracy_score([e.category for e in challenge], challenge_predicted)
        ),
        challenge_size=len(challenge),
    )
