"""``cityops classifier train [--no-db]`` and
``cityops classifier evaluate [--min-short 0.92] [--min-long 0.90]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityops.intel.training import (
    EVALUATION_SEED,
    EVALUATION_TEST_SIZE,
    MIN_LONG_ACCURACY,
    MIN_SHORT_ACCURACY,
    Evaluation,
    Scores,
    classifier_evaluate,
    classifier_train,
)

SET_NAMES = {
    "short": "short texts",
    "short_plain": "short texts without diacritics",
    "long": "long letters",
    "long_plain": "long letters without diacritics",
}


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
            "evaluate",
            help="Accuracy, macro-F1 and confusion matrices on held-out short texts and letters.",
        )
        evaluate.add_argument(
            "--min-short",
            type=float,
            default=MIN_SHORT_ACCURACY,
            help="Least accuracy on short texts, with and without diacritics.",
        )
        evaluate.add_argument(
            "--min-long",
            type=float,
            default=MIN_LONG_ACCURACY,
            help="Least accuracy on long letters, with and without diacritics.",
        )
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
        bars = {"min_short": options["min_short"], "min_long": options["min_long"]}
        self.stdout.write(render(evaluation, **bars))
        below = evaluation.below(**bars)
        if below:
            names = ", ".join(SET_NAMES[name] for name in below)
            raise CommandError(f"Accuracy is below the bar on: {names}.")


def render(evaluation: Evaluation, *, min_short: float, min_long: float) -> str:
    """The evaluation as text: a line per held-out set, then a confusion matrix for short texts
    and one for long letters, with category codes."""
    below = set(evaluation.below(min_short=min_short, min_long=min_long))
    bars = {"short": min_short, "short_plain": min_short, "long": min_long, "long_plain": min_long}
    lines = [
        f"Held-out texts, never trained on (the model trained on {evaluation.train_short} short "
        f"texts, {evaluation.train_parts} letter parts and {evaluation.train_letters} letters):",
        f"{'':<22} {'texts':>6} {'accuracy':>9} {'macro-F1':>9} {'bar':>7}",
    ]
    for name, scores in evaluation.sets:
        verdict = "BELOW" if name in below else "ok"
        title = "  without diacritics" if name.endswith("_plain") else SET_NAMES[name]
        lines.append(
            f"{title:<22} {scores.size:>6} {scores.accuracy:>9.1%} "
            f"{scores.macro_f1:>9.3f} {bars[name]:>7.0%}  {verdict}"
        )
    lines += [
        f"Challenge set: {evaluation.challenge_accuracy:.1%} of {evaluation.challenge_size} "
        "(no diacritics, typos, abbreviations; model trained on the whole corpus)",
    ]
    for title, scores in (("short texts", evaluation.short), ("long letters", evaluation.long)):
        lines += ["", *_confusion(title, evaluation.labels, scores)]
    return "\n".join(lines)


def _confusion(title: str, labels: list[str], scores: Scores) -> list[str]:
    width = max(len(label) for label in labels)
    lines = [f"Confusion matrix, {title} (rows: true category, columns: predicted, same order):"]
    header = " ".join(f"{index:>4}" for index in range(1, len(labels) + 1))
    lines.append(f"{'':>{width + 4}} {header}")
    for index, (label, row) in enumerate(zip(labels, scores.confusion, strict=True), start=1):
        cells = " ".join(f"{count:>4}" for count in row)
        lines.append(f"{index:>2}. {label:<{width}} {cells}")
    return lines
