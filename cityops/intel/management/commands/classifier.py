"""``cityops classifier train [--no-db]`` and ``cityops classifier evaluate [--min-accuracy X]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.intel.training import (
    EVALUATION_SEED,
    EVALUATION_TEST_SIZE,
    Evaluation,
    classifier_evaluate,
    classifier_train,
)


class Command(BaseCommand):
    help = "Train the report-category classifier, or measure it on the held-out split."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        train = actions.add_parser(
            "train", help="Train on the corpus and operator-confirmed reports; store a version."
        )
        train.add_argument(
            "--no-db", action="store_true", help="The shipped corpus only, no database reports."
        )
        evaluate = actions.add_parser(
            "evaluate", help="Accuracy, macro-F1 and confusion matrix on a held-out split."
        )
        evaluate.add_argument("--min-accuracy", type=float, default=0.9)
        evaluate.add_argument("--test-size", type=float, default=EVALUATION_TEST_SIZE)
        evaluate.add_argument("--seed", type=int, default=EVALUATION_SEED)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "train":
            bundle = classifier_train(include_database=not options["no_db"])
            sources = ", ".join(f"{name}: {count}" for name, count in bundle.sources.items())
            self.stdout.write(f"Examples per category ({sources}):")
            for code, count in bundle.counts.items():
                self.stdout.write(f"  {code:<24} {count:>5}")
            self.stdout.write(f"Saved classifier version {bundle.version} (now current).")
            return
        evaluation = classifier_evaluate(test_size=options["test_size"], seed=options["seed"])
        self.stdout.write(render(evaluation))
        if evaluation.accuracy < options["min_accuracy"]:
            raise CommandError(
                f"Accuracy {evaluation.accuracy:.1%} is below the minimum "
                f"{options['min_accuracy']:.1%}."
            )


def render(evaluation: Evaluation) -> str:
    """The evaluation as text: figures, then the confusion matrix with category codes."""
    width = max(len(label) for label in evaluation.labels)
    lines = [
        f"Held-out split: {evaluation.test_size} texts (trained on {evaluation.train_size})",
        f"Accuracy:  {evaluation.accuracy:.1%}",
        f"Macro-F1:  {evaluation.macro_f1:.3f}",
        f"Challenge set: {evaluation.challenge_accuracy:.1%} of {evaluation.challenge_size} "
        "(no diacritics, typos, abbreviations; model trained on the whole corpus)",
        "",
        "Confusion matrix (rows: true category, columns: predicted, same order):",
    ]
    header = " ".join(f"{index:>4}" for index in range(1, len(evaluation.labels) + 1))
    lines.append(f"{'':>{width + 4}} {header}")
    for index, (label, row) in enumerate(
        zip(evaluation.labels, evaluation.confusion, strict=True), start=1
    ):
        cells = " ".join(f"{count:>4}" for count in row)
        lines.append(f"{index:>2}. {label:<{width}} {cells}")
    return "\n".join(lines)
