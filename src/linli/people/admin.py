from django.contrib import admin

from .models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """The tag catalogue is configurable; people themselves are edited through the registry pages."""

    list_display = ["name", "code", "sensitive", "graded", "order"]
    list_editable = ["sensitive", "graded", "order"]
