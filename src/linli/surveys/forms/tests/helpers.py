"""Surveys for the forms' tests, made directly: the forms need only a survey's kind, region and state."""

from datetime import UTC, date, datetime

from linli.campaigns.models import Plan
from linli.surveys import rules as survey_rules
from linli.surveys.models import FormVersion, Survey


def survey(region, *, kind: str = survey_rules.CENSUS, state: str = survey_rules.DRAFT) -> Survey:
    plan = Plan.objects.create(region=region, title=f"{region.name}第六次人口普查", issuer=region.name)
    return Survey.objects.create(
        plan=plan, kind=kind, title=plan.title, state=state,
        standard_moment=datetime(2010, 10, 31, 16, tzinfo=UTC), registered_before=date(2010, 12, 31),
    )  # fmt: skip


def default(code: str) -> FormVersion:
    """Version 1 of a default form, as migration 0002_default_forms published it."""
    return FormVersion.objects.get(form__code=code, number=1)
