from django.contrib import admin

from linli.core.errors import ValidationFailed
from linli.core.forms import ModelForm

from .models import Organization
from .services import credit_code_clean


class OrganizationForm(ModelForm):
    name_fields = ("name",)

    class Meta:
        model = Organization
        fields = ["kind", "name", "region", "credit_code", "credit_code_override"]

    def clean(self):
        data = super().clean()
        try:
            data["credit_code"], data["credit_code_override"] = credit_code_clean(
                data.get("credit_code", ""), data.get("credit_code_override", "")
            )
        except ValidationFailed as exc:
            self.add_error("credit_code", exc.errors[0].message)
        return data


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "region", "credit_code"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]
