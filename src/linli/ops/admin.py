from django.contrib import admin

from .models import JobRun, Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("message", "audience", "raised_at", "resolved_at")
    list_filter = ("audience",)
    # Raised and resolved by the periodic jobs only, from the condition they watch.
    readonly_fields = ("key", "audience", "message", "link", "raised_at", "resolved_at")

    def has_add_permission(self, request):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("name", "started_at", "finished_at", "outcome", "holder", "lease_until")
    readonly_fields = ("name", "holder", "lease_until", "started_at", "finished_at", "outcome")

    def has_add_permission(self, request):
        return False
