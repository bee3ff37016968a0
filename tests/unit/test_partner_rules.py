"""幸福合伙人 partner rules: certification states, who may take tasks, capacity, individuals."""

from __future__ import annotations

import itertools

import pytest

from marketplace.errors import Conflict, InvalidInput
from marketplace.partners import rules
from marketplace.partners.rules import PartnerKind, PartnerStatus

ALLOWED = {
    ("certify", PartnerStatus.PENDING): PartnerStatus.CERTIFIED,
    ("suspend", PartnerStatus.CERTIFIED): PartnerStatus.SUSPENDED,
    ("reinstate", PartnerStatus.SUSPENDED): PartnerStatus.CERTIFIED,
}
ALL = list(itertools.product(["certify", "suspend", "reinstate"], PartnerStatus))


@pytest.mark.parametrize(("action", "status"), list(ALLOWED))
def test_allowed(action, status):
    assert rules.next_status(action, status) is ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), [p for p in ALL if p not in ALLOWED])
def test_refused_says_why(action, status):
    with pytest.raises(Conflict) as err:
        rules.next_status(action, status)
    assert f"Cannot {action}" in err.value.message and status.value in err.value.message


@pytest.mark.parametrize("status", list(PartnerStatus))
def test_only_certified_partners_take_tasks(status):
    if status == PartnerStatus.CERTIFIED:
        rules.check_can_take_tasks(status.value)
        return
    with pytest.raises(Conflict) as err:
        rules.check_can_take_tasks(status.value)
    assert status.value in err.value.message and "certified" in err.value.message


def test_a_unit_holds_no_more_open_tasks_than_its_people():
    rules.check_unit_capacity(3, 4)
    with pytest.raises(Conflict) as err:
        rules.check_unit_capacity(4, 4)
    assert "4 people" in err.value.message


def test_a_skilled_resident_is_one_person_without_members():
    rules.check_individual(PartnerKind.SKILLED_RESIDENT, 1)
    rules.check_individual(PartnerKind.CARING_MERCHANT, 12)
    with pytest.raises(InvalidInput):
        rules.check_individual(PartnerKind.SKILLED_RESIDENT, 2)
    rules.check_can_add_member(PartnerKind.PROPERTY_SERVICE.value)
    with pytest.raises(Conflict):
        rules.check_can_add_member(PartnerKind.SKILLED_RESIDENT.value)


def test_a_skilled_resident_serves_their_own_community():
    assert rules.service_communities(PartnerKind.SKILLED_RESIDENT, [3, 2], 7) == [2, 3, 7]
    assert rules.service_communities(PartnerKind.SKILLED_RESIDENT, [], None) == []
    assert rules.service_communities(PartnerKind.UNIVERSITY_OR_SCHOOL, [3], 7) == [3]


def test_the_six_kinds_of_unit_and_the_individual():
    assert {k.value for k in PartnerKind} == {
        "property_service",
        "resident_enterprise",
        "caring_merchant",
        "university_or_school",
        "agency_party_org",
        "social_organisation",
        "skilled_resident",
    }
