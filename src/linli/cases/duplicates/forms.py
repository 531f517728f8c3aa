"""The query of the duplicate hints, as the intake form (staff) and the report form (residents) name their fields.
A value that does not parse is left out, so a half-filled form asks for no hints rather than failing."""

from django import forms

from linli.core.forms import Form, IdField

from .selectors import Place


class PointFields(Form):
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)

    def value(self, name: str):
        self.is_valid()
        return self.cleaned_data.get(name)


class StaffQuery(PointFields):
    """/cases/new/'s fields: category, the map's point, the house found, the community or grid chosen."""

    category = IdField(required=False)
    house = IdField(required=False)
    region = IdField(required=False)

    def place(self) -> Place:
        return Place(self.value("latitude"), self.value("longitude"), self.value("house"), self.value("region"))


class PublicQuery(PointFields):
    """/report/'s fields: the problem's type and the point marked on the map."""

    category_id = IdField(required=False)
