"""Pure rules of partner registration (组织备案): kinds and the certification states."""

from __future__ import annotations

from enum import StrEnum

from marketplace.errors import Conflict, InvalidInput


class PartnerKind(StrEnum):
    PROPERTY_SERVICE = "property_service"  # 物业服务企业
    RESIDENT_ENTERPRISE = "resident_enterprise"  # 驻区企业
    CARING_MERCHANT = "caring_merchant"  # 爱心商家
    UNIVERSITY_OR_SCHOOL = "university_or_school"  # 高校、学校
    AGENCY_PARTY_ORG = "agency_party_org"  # 机关党组织
    SOCIAL_ORGANISATION = "social_organisation"  # 社会组织
    SKILLED_RESIDENT = "skilled_resident"  # 治理能人 (an individual partner)


class PartnerStatus(StrEnum):
    PENDING = "pending"
    CERTIFIED = "certified"
    SUSPENDED = "suspended"


TRANSITIONS = {
    ("certify", PartnerStatus.PENDING): PartnerStatus.CERTIFIED,
    ("suspend", PartnerStatus.CERTIFIED): PartnerStatus.SUSPENDED,
    ("reinstate", PartnerStatus.SUSPENDED): PartnerStatus.CERTIFIED,
}


def next_status(action: str, current: PartnerStatus) -> PartnerStatus:
    """The partner's status after `action`, or 409 saying why not."""
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise Conflict(
            f"Cannot {action} a partner that is {current.value}.",
            code="partner_transition_refused",
            action=action,
            status=current.value,
        )
    return target


def check_can_take_tasks(status: str) -> None:
    """Only certified partners take tasks."""
    if status != PartnerStatus.CERTIFIED:
        raise Conflict(
            f"This partner is {status}: only certified partners can take tasks.",
            code="partner_not_certified",
            status=status,
        )


def check_unit_capacity(held: int, people: int) -> None:
    """A unit holds at most as many open tasks as the people it registered (its capacity)."""
    if held >= people:
        raise Conflict(
            f"This unit already holds {held} open tasks, as many as the {people} people it "
            "registered; fulfil or release one first.",
            code="partner_capacity_full",
            held=held,
            people=people,
        )


def check_individual(kind: PartnerKind, people: int) -> None:
    """A skilled resident (治理能人) registers as one person."""
    if kind == PartnerKind.SKILLED_RESIDENT and people != 1:
        raise InvalidInput(
            "A skilled resident registers as one person (people must be 1).",
            code="partner_individual_one_person",
            field="people",
        )


def check_can_add_member(kind: str) -> None:
    """Units have members who act for them; a skilled resident acts only for themself."""
    if kind == PartnerKind.SKILLED_RESIDENT:
        raise Conflict(
            "A skilled resident is an individual partner and has no other members.",
            code="partner_individual_no_members",
        )


def service_communities(
    kind: PartnerKind, communities: list[int], home_community: int | None
) -> list[int]:
    """The service area's communities; a skilled resident always serves (and is certified by)
    the community they live in."""
    found = set(communities)
    if kind == PartnerKind.SKILLED_RESIDENT and home_community is not None:
        found.add(home_community)
    return sorted(found)
