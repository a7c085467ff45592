import pytest
from django.core.management import CommandError, call_command

from cityops.intel import store
from cityops.intel.management.commands import classifier as command
from cityops.intel.training import Evaluation

LABELS = ["sanitation", "tourism"]


def _evaluation(accuracy: float) -> Evaluation:
    return Evaluation(
        labels=LABELS,
        accuracy=accuracy,
        macro_f1=0.5,
        confusion=[[3, 1], [1, 3]],
        train_size=24,
        test_size=8,
        challenge_accuracy=0.75,
        challenge_size=4,
    )


def test_evaluate_prints_the_figures_and_the_confusion_matrix(monkeypatch, capsys):
    monkeypatch.setattr(command, "classifier_evaluate", lambda **_: _evaluation(0.95))
    call_command("classifier", "evaluate")
    out = capsys.readouterr().out
    assert "Accuracy:  95.0%" in out
    assert "Macro-F1:  0.500" in out
    assert "Challenge set: 75.0% of 4" in out
    assert " 1. sanitation    3    1" in out
    assert " 2. tourism       1    3" in out


def test_evaluate_fails_below_the_minimum_accuracy(monkeypatch):
    monkeypatch.setattr(command, "classifier_evaluate", lambda **_: _evaluation(0.85))
    with pytest.raises(CommandError, match=r"below the minimum 90\.0%"):
        call_command("classifier", "evaluate", "--min-accuracy", "0.9")
    call_command("classifier", "evaluate", "--min-accuracy", "0.8")


def test_train_without_the_database_prints_the_examples_and_the_version(data_dir, capsys):
    call_command("classifier", "train", "--no-db")
    out = capsys.readouterr().out
    version = store.current_version()
    assert f"Saved classifier version {version} (now current)." in out
    assert "Examples per category (corpus: " in out
    assert "database" not in out
    assert "administrative-conduct" in out
