"""Who lives where, for pages of other apps: the region tree and a region's page show households and persons per
node, counted by stats.selectors (regions sit below people and stats, so their pages load this library)."""

from django import template

from linli.stats import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def population_by_region(context, regions) -> dict:
    """{% population_by_region nodes as population %}: households and persons of each node's subtree."""
    return selectors.population_by_region(user=context["request"].user, regions=regions)


@register.filter
def of_region(population: dict, region) -> dict:
    """{% with figures=population|of_region:node %}{{ figures.households }} {{ figures.persons }}{% endwith %}"""
    return population[region.pk]
