from django.contrib import admin

from .models import Case, CaseEvent, Category, Open311Key


class MinorInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 0
    fields = ["code", "name", "department", "priority", "response_limit", "response_unit", "handle_limit",
              "handle_unit", "requires_verification", "active", "sort"]  # fmt: skip


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    """The catalogue is edited here: limits, default departments and on-site checks take effect on the next
    dispatch; cases already dispatched keep their deadlines."""

    list_display = ["name", "code", "parent", "department", "priority", "handle_limit", "handle_unit", "active"]
    list_filter = ["parent", "priority", "active", "requires_verification"]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "department"]
    inlines = [MinorInline]


class ReadOnlyTimeline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["seq", "action", "from_state", "to_state", "actor_label", "at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read only: cases change through their lifecycle actions, never by editing fields."""

    list_display = ["number", "category", "state", "channel", "region", "lead_department", "received_at"]
    list_filter = ["state", "channel", "priority"]
    search_fields = ["number"]
    list_select_related = ["category", "region", "lead_department"]
    exclude = ["reporter_phone"]
    inlines = [ReadOnlyTimeline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """Keys are issued with `./linli manage open311_key NAME` (the key is shown once); here they are disabled."""

    list_display = ["name", "contact", "active", "created_at"]
    fields = ["name", "contact", "active"]

    def has_add_permission(self, request):
        return False
