import pytest
from django.core.management import CommandError, call_command

from cityops.intel import store
from cityops.intel.management.commands import classifier as command
from cityops.intel.training import Evaluation, Scores

pytestmark = pytest.mark.no_database  # the SQLite pass runs it; see conftest.py

LABELS = ["sanitation", "tourism"]


def _scores(accuracy: float, size: int = 8) -> Scores:
    return Scores(size=size, accuracy=accuracy, macro_f1=0.5, confusion=[[3, 1], [1, 3]])


def _evaluation(
    *, short: float = 0.95, short_plain: float = 0.95, long: float = 0.95, long_plain: float = 0.95
) -> Evaluation:
    return Evaluation(
        labels=LABELS,
        short=_scores(short),
        short_plain=_scores(short_plain, size=3),
        long=Scores(size=8, accuracy=long, macro_f1=0.75, confusion=[[4, 0], [2, 2]]),
        long_plain=_scores(long_plain, size=4),
        train_short=24,
        train_parts=6,
        train_letters=40,
        challenge_accuracy=0.75,
        challenge_size=4,
    )


def test_evaluate_prints_each_held_out_set_and_a_confusion_matrix_for_short_and_long(
    monkeypatch, capsys
):
    monkeypatch.setattr(command, "classifier_evaluate", lambda **_: _evaluation(long=0.9125))
    call_command("classifier", "evaluate")
    out = capsys.readouterr().out
    assert "trained on 24 short texts, 6 letter parts and 40 letters" in out
    assert "short texts                 8     95.0%     0.500     92%  ok" in out
    assert "long letters                8     91.2%     0.750     90%  ok" in out
    assert out.count("  without diacritics") == 2
    assert "Challenge set: 75.0% of 4" in out
    short, long = out.split("Confusion matrix, short texts")[1].split("Confusion matrix, long")
    assert " 1. sanitation    3    1" in short
    assert " 2. tourism       1    3" in short
    assert " 1. sanitation    4    0" in long
    assert " 2. tourism       2    2" in long


@pytest.mark.parametrize(
    ("held_out", "name"),
    [
        ("short", "short texts"),
        ("short_plain", "short texts without diacritics"),
        ("long", "long letters"),
        ("long_plain", "long letters without diacritics"),
    ],
)
def test_evaluate_fails_when_any_held_out_set_is_below_its_bar(monkeypatch, held_out, name):
    monkeypatch.setattr(command, "classifier_evaluate", lambda **_: _evaluation(**{held_out: 0.89}))
    with pytest.raises(CommandError, match=rf"below the bar on: {name}\.$"):
        call_command("classifier", "evaluate")


def test_the_bars_are_options(monkeypatch, capsys):
    monkeypatch.setattr(
        command, "classifier_evaluate", lambda **_: _evaluation(short_plain=0.91, long=0.85)
    )
    with pytest.raises(CommandError, match="short texts without diacritics, long letters"):
        call_command("classifier", "evaluate")
    assert capsys.readouterr().out.count("BELOW") == 2
    call_command("classifier", "evaluate", "--min-short", "0.9", "--min-long", "0.8")
    out = capsys.readouterr().out
    assert "BELOW" not in out
    assert "long letters                8     85.0%     0.750     80%  ok" in out


def test_train_without_the_database_prints_the_examples_and_the_version(data_dir, capsys):
    call_command("classifier", "train", "--no-db")
    out = capsys.readouterr().out
    version = store.current_version()
    assert f"Saved classifier version {version} (now current)." in out
    assert "Examples per category (corpus: " in out
    assert ", letters: " in out
    assert "database" not in out
    assert "administrative-conduct" in out
