from django.contrib import admin

from .models import Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """Read-only look at plans for support; plans are written through the plan pages, which validate them."""

    list_display = ["title", "doc_number", "region", "status", "issued_on"]
    list_filter = ["status", "report_cycle"]
    search_fields = ["title", "doc_number"]
    list_select_related = ["region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
