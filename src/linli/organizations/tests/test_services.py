from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.organizations.services import enterprise_update, organization_create


def test_a_valid_credit_code_is_stored(world):
    org = organization_create(
        user=world.users["admin"],
        kind="company",
        name="万家物业",
        region_id=world.district.pk,
        credit_code="91350100m000100y43",
    )
    assert (org.credit_code, org.credit_code_override) == ("91350100M000100Y43", "")


def test_a_failing_code_needs_a_reason(world):
    with pytest.raises(ValidationFailed) as exc:
        organization_create(
            user=world.users["admin"],
            kind="company",
            name="老物业",
            region_id=world.district.pk,
            credit_code="91350100M000100Y44",
        )
    assert exc.value.errors[0].field == "credit_code"
    assert Organization.objects.filter(name="老物业").count() == 0
    org = organization_create(
        user=world.users["admin"],
        kind="company",
        name="老物业",
        region_id=world.district.pk,
        credit_code="91350100M000100Y44",
        override_reason="2015年试点期间赋码",
    )
    assert org.credit_code_override == "2015年试点期间赋码"


def test_community_workers_cannot_register_organisations(world):
    with pytest.raises(PermissionDenied):
        organization_create(user=world.users["community_worker"], kind="company", name="X", region_id=world.district.pk)


# ---- enterprises: what a unit survey's frame is drawn by


def test_an_enterprise_is_registered_with_its_date_industry_and_hazard(world):
    org = organization_create(user=world.users["street_staff"], kind="enterprise", name="沈河机械厂",
                              region_id=world.community_a1.pk, registered_on=date(2019, 3, 1), industry="c",
                              occupational_hazard=True)  # fmt: skip
    assert (org.registered_on, org.industry, org.occupational_hazard) == (date(2019, 3, 1), "C", True)


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("enterprise", {"industry": "Z"}, "industry"),
        ("enterprise", {"registered_on": "tomorrow"}, "registered_on"),
        ("company", {"occupational_hazard": True}, "kind"),
    ],
)
def test_enterprise_fields_are_checked(world, kind, fields, field):
    if fields.get("registered_on") == "tomorrow":
        fields = {"registered_on": timezone.localdate() + timedelta(days=1)}
    with pytest.raises(ValidationFailed) as exc:
        organization_create(user=world.users["admin"], kind=kind, name="某单位", region_id=world.district.pk, **fields)
    assert exc.value.errors[0].field == field


def test_an_enterprise_is_corrected_in_scope_only(world):
    org = organization_create(
        user=world.users["admin"], kind="enterprise", name="乙厂", region_id=world.community_b1.pk
    )
    with pytest.raises(Http404):
        enterprise_update(user=world.users["street_staff"], organization_id=org.pk, registered_on=None, industry="C",
                          occupational_hazard=True)  # fmt: skip
    org = enterprise_update(user=world.users["district_staff"], organization_id=org.pk,
                            registered_on=date(2020, 1, 2), industry="C", occupational_hazard=True)  # fmt: skip
    org.refresh_from_db()
    assert (org.registered_on, org.industry, org.occupational_hazard) == (date(2020, 1, 2), "C", True)
