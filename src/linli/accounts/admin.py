from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class LinliUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "role", "region", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["region", "organization"]
    fieldsets = UserAdmin.fieldsets + ((_("岗位与范围"), {"fields": ("role", "region", "organization", "phone")}),)
    add_fieldsets = UserAdmin.add_fieldsets + ((_("岗位与范围"), {"fields": ("role", "region", "organization")}),)
    autocomplete_fields = ["region"]
