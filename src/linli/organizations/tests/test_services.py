import pytest

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.organizations.models import Organization
from linli.organizations.services import organization_create


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
