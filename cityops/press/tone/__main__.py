"""``python -m cityops.press.tone``: the tone model's figures on the held-out split."""

from __future__ import annotations

import time

from cityops.press.tone.model import ToneEvaluation, tone_evaluate


def evaluation_report(evaluation: ToneEvaluation) -> str:
    lines = [
        f"train {evaluation.train_size} {evaluation.counts.get('train', {})}",
        f"test  {evaluation.test_size} {evaluation.counts.get('test', {})}",
        f"macro-F1 {evaluation.macro_f1:.3f}   accuracy {evaluation.accuracy:.1%}"
        f"   without diacritics {evaluation.plain_accuracy:.1%} of {evaluation.plain_size}",
        f"{'':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'texts':>6}",
    ]
    for label, scores in evaluation.per_class.items():
        lines.append(
            f"{label:<10} {scores.precision:>9.3f} {scores.recall:>7.3f} {scores.f1:>6.3f}"
            f" {scores.support:>6}"
        )
    lines.append("confusion (rows: true, columns: predicted) " + " / ".join(evaluation.labels))
    lines.extend(
        f"{label:<10} {row}"
        for label, row in zip(evaluation.labels, evaluation.confusion, strict=True)
    )
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    evaluation = tone_evaluate()
    print(evaluation_report(evaluation))
    print(f"trained and measured in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
