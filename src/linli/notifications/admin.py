from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log, to see what became of a message; written by the notification service only."""

    list_display = ("created_at", "user", "template", "channel", "status", "attempts", "provider_id", "error")
    list_filter = ("channel", "status", "template")
    search_fields = ("user__username", "provider_id")
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
