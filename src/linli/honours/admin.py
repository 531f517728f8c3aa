from django.contrib import admin

from .models import HonourType, RevocationRule


class RevocationRuleInline(admin.TabularInline):
    model = RevocationRule
    extra = 0
    filter_horizontal = ("categories",)


@admin.register(HonourType)
class HonourTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "validity_months", "active", "sort")
    inlines = [RevocationRuleInline]
