from __future__ import annotations

import pytest

from marketplace.accounts.rules import hash_password, normalise_phone, verify_password
from marketplace.errors import Conflict, InvalidInput
from marketplace.geo import bounding_box, haversine_m
from marketplace.privacy import coarse_distance, coarse_point, mask_name, mask_phone
from marketplace.tasks.rules import check_claim_quota


def test_mask_name_hides_length():
    assert mask_name("林小明") == "林**"
    assert mask_name("欧阳娜娜") == "欧**"
    assert mask_name("王") == "王**"
    assert mask_name("") == ""


def test_mask_phone_and_coarse_place():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone(None) is None
    lat, lng = coarse_point(36.0712345, 120.3812345)
    assert haversine_m(lat, lng, 36.0712345, 120.3812345) < 200
    assert coarse_distance(1234) == 1200


def test_phone_numbers():
    assert normalise_phone("+86 138-1234-5678") == "13812345678"
    for bad in ("12345", "23812345678", "1381234567a"):
        with pytest.raises(InvalidInput):
            normalise_phone(bad)


def test_password_kdf():
    h = hash_password("correct horse")
    assert h.startswith("$argon2id$") and "correct" not in h
    assert verify_password(h, "correct horse")
    assert not verify_password(h, "wrong horse")
    assert not verify_password(None, "x") and not verify_password("garbage", "x")
    with pytest.raises(InvalidInput):
        hash_password("short")


def test_haversine_and_box():
    # one degree of latitude on the 6,371,008.8 m sphere
    assert round(haversine_m(0, 0, 1, 0)) == 111195
    min_lat, max_lat, min_lng, max_lng = bounding_box(36.0, 120.0, 5000)
    assert min_lat < 36 < max_lat and min_lng < 120 < max_lng
    assert haversine_m(36.0, 120.0, max_lat, 120.0) == pytest.approx(5000, rel=1e-6)


def test_claim_quota():
    check_claim_quota(4, 5)
    with pytest.raises(Conflict, match="limit is 5"):
        check_claim_quota(5, 5)
