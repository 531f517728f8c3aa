"""API shapes of forms and their versions."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field

from linli.core.schemas import Id, In, Schema, Version
from linli.core.text import Kind
from linli.surveys import rules as survey_rules

from .services import NOTE_MAX

Role = Literal[tuple(survey_rules.FORM_ROLES)]


class VersionOut(Schema):
    id: int
    number: int
    note: str
    published: bool = Field(description="已发布的版本不再修改，可用于调查")
    published_at: datetime | None
    revision: int = Field(description="草稿的修改次数：修改时原样提交")
    created_at: datetime

    @staticmethod
    def resolve_published(version) -> bool:
        return version.published_at is not None


class VersionDetailOut(VersionOut):
    form_code: str = Field(alias="form.code")
    form_name: str = Field(alias="form.name")
    definition: dict[str, Any] = Field(description="表式定义：部分、题目、选项、跳转条件（见 docs/surveys.md 调查表）")


class FormOut(Schema):
    code: str
    name: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(form) -> list:
        return list(form.versions.all())


class SurveyFormOut(Schema):
    role: str
    role_label: str
    version: VersionOut | None
    form_code: str | None
    form_name: str | None


class NoteIn(In):
    note: str = Field("", max_length=NOTE_MAX, description="修订说明")


class VersionUpdateIn(In):
    # Multi-line text passes here (a question's help may run to several lines); the definition's check then holds
    # labels and options to one line.
    definition: Annotated[dict[str, Any], Kind.TEXT] = Field(description="整份表式定义；有误时按部分和题目逐条说明")
    note: str = Field("", max_length=NOTE_MAX, description="修订说明")
    revision: Version = Field(description="读取草稿时的修改次数(revision)；已被他人修改时返回409")


class SurveyFormIn(In):
    version_id: Id = Field(description="已发布的表式版本")
