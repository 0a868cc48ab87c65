"""The public API's names: one name for a candidate, ids named as ids,
keyword-only results, and the old names working for one release with a
warning that says what to write instead."""

from __future__ import annotations

import inspect

import attrs
import pytest

import dikt
from dikt.serialise import to_data

from .conftest import EXAMPLE


@pytest.fixture(scope="module")
def cooperation() -> dikt.Cooperation:
    return dikt.load(EXAMPLE)


def test_every_candidate_parameter_is_called_candidate() -> None:
    for function in (dikt.join, dikt.one_time_costs, dikt.joining_gains, dikt.join_report):
        assert list(inspect.signature(function).parameters)[:2] == ["cooperation", "candidate"]
    assert "candidate" in inspect.signature(dikt.key_study).parameters


def test_the_cooperation_comes_first_in_every_public_function() -> None:
    firsts = {}
    for name in dikt.__all__:
        value = getattr(dikt, name)
        if not inspect.isfunction(value):
            continue
        parameters = list(inspect.signature(value).parameters)
        if "cooperation" in parameters:
            firsts[name] = parameters[0]
    assert firsts  # the check sees functions
    assert {name: first for name, first in firsts.items() if first != "cooperation"} == {}


def test_results_name_the_cooperation_by_its_id(cooperation: dikt.Cooperation) -> None:
    assert dikt.allocate(cooperation).cooperation_id == "d-ikt"
    assert dikt.plan(cooperation).cooperation_id == "d-ikt"
    assert dikt.matrix(cooperation).cooperation_id == "d-ikt"
    assert dikt.key_study(cooperation).cooperation_id == "d-ikt"


def test_no_result_calls_an_id_the_cooperation() -> None:
    """``cooperation`` is the model everywhere in the API; a result holds ``cooperation_id``."""
    named = [
        name
        for name in dikt.__all__
        if attrs.has(cls := getattr(dikt, name))
        and isinstance(cls, type)
        and any(a.name == "cooperation" for a in attrs.fields(cls))
    ]
    assert named == []


def test_every_public_result_class_is_keyword_only() -> None:
    positional = [
        name
        for name in dikt.__all__
        if attrs.has(cls := getattr(dikt, name))
        and isinstance(cls, type)
        and any(not a.kw_only for a in attrs.fields(cls) if a.init)
        # Not results: the spec's model and errors are built by the loader,
        # the words of a language by dikt.texts().
        and cls.__module__ not in {"dikt.model", "dikt.errors", "dikt.i18n"}
    ]
    assert positional == []


def test_old_keyword_names_still_work_and_warn(cooperation: dikt.Cooperation) -> None:
    with pytest.warns(
        DeprecationWarning, match=r"join\(candidate_id=...\) is deprecated.*join\(candidate=...\)"
    ):
        old = dikt.join(cooperation, candidate_id="nedre-eiker")
    assert old == dikt.join(cooperation, "nedre-eiker")
    with pytest.warns(DeprecationWarning, match=r"key_study\(joining=...\)"):
        study = dikt.key_study(cooperation, joining="nedre-eiker")
    assert study.candidate == "nedre-eiker"
    with pytest.warns(
        DeprecationWarning, match=r"KeyStudy.joining is deprecated.*KeyStudy.candidate"
    ):
        assert study.joining == "nedre-eiker"
    with pytest.warns(DeprecationWarning, match=r"Allocation.cooperation is deprecated"):
        assert dikt.allocate(cooperation).cooperation == "d-ikt"
    with pytest.raises(TypeError, match="both"):
        dikt.join(cooperation, candidate="nedre-eiker", candidate_id="nedre-eiker")  # type: ignore[call-arg]


def test_the_json_keeps_its_field_names(cooperation: dikt.Cooperation) -> None:
    """The spec format fixes "cooperation" in allocate's JSON; renaming the
    attribute does not rename the output."""
    assert to_data(dikt.allocate(cooperation))["cooperation"] == "d-ikt"
    data = to_data(dikt.key_study(cooperation, candidate="nedre-eiker"))
    assert (data["cooperation"], data["joining"]) == ("d-ikt", "nedre-eiker")
