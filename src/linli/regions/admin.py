from django.contrib import admin

from .models import GridStaff, Region


class GridStaffInline(admin.TabularInline):
    model = GridStaff
    extra = 0
    fields = ["duty", "name", "user"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Read and browse here; create and edit through the region pages, which check codes against the parent."""

    list_display = ["name", "code", "level", "grid_kind", "parent"]
    list_filter = ["level", "grid_kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["parent", "level", "code", "path"]
    inlines = [GridStaffInline]

    def has_add_permission(self, request):
        return False
