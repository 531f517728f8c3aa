"""Filters for registry pages: masked identity and phone numbers (PIPL), ages."""

from datetime import date

from django import template

from linli.core import pii
from linli.people import rules

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return pii.mask_id_number(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return pii.mask_phone(value or "")


@register.filter
def age(birth: date | None, on: date | None = None) -> int | str:
    return rules.age_on(birth, on or date.today()) if birth else ""
