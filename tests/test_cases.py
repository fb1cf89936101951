"""Data-driven cases (ftfy style): tests/cases/*.yml, extended without touching code."""
from pathlib import Path

import pytest
import yaml

from scripts import clean
from scripts.annotate import numbers

CASES = Path(__file__).parent / "cases"


def _load(name, key=None):
    """The cases of a file (those holding `key`, if given); `expect: fail` marks a known failure."""
    data = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["label"], marks=[pytest.mark.xfail(strict=True)] if c.get("expect") == "fail" else [])
            for c in data if key is None or key in c]


@pytest.mark.parametrize("case", _load("cleaning.yml"))
def test_cleaning_fixer(case):
    fixer = getattr(clean, case["fixer"])
    assert fixer(case["original"]) == case["fixed"]

# tests/cases/mojibake.yml is read by tests/test_mojibake.py.


@pytest.mark.parametrize("case", _load("numbers.yml", "text"))
def test_number_recogniser(case):
    found = [[m.text, m.value, m.value_high, m.unit, m.approx] for m in numbers.find(case["text"])]
    assert found == case["expect"]
    if case.get("english"):
        assert numbers.english(numbers.find(case["text"])[0]) == case["english"]


@pytest.mark.parametrize("case", _load("numbers.yml", "amount"))
def test_english_amount(case):
    value, high, unit, qualifier = case["amount"]
    assert numbers.english_amount(value, high, unit, qualifier) == case["english"]
