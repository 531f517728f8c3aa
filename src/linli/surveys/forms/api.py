"""Forms under /api/v1/surveys/forms: the forms and their versions, drafting a new version from an earlier one,
changing and publishing it, and the version a survey uses in each role. Thin: selectors read, services write."""

from ninja import Router, Status

from linli.core.schemas import Id

from . import selectors, services
from .schemas import FormOut, NoteIn, Role, SurveyFormIn, SurveyFormOut, VersionDetailOut, VersionUpdateIn

router = Router(tags=["surveys"])


@router.get("", response=list[FormOut], summary="调查表：全部表式及其各版本")
def forms(request):
    return list(selectors.form_list(user=request.user))


@router.get("/versions/{version_id}", response=VersionDetailOut, summary="一个版本的表式定义")
def version(request, version_id: Id):
    return selectors.version_get(user=request.user, pk=version_id)


COPIED = {201: VersionDetailOut}


@router.post("/versions/{version_id}/copy", response=COPIED, summary="据此版本新建草稿（每表只有一份草稿）")
def version_copy(request, version_id: Id, payload: NoteIn):
    draft = services.form_version_create(user=request.user, version_id=version_id, note=payload.note)
    return Status(201, selectors.version_get(user=request.user, pk=draft.pk))


@router.put("/versions/{version_id}", response=VersionDetailOut, summary="修改草稿的表式定义（已发布的版本不能修改）")
def version_update(request, version_id: Id, payload: VersionUpdateIn):
    services.form_version_update(
        user=request.user,
        version_id=version_id,
        revision=payload.revision,
        definition=payload.definition,
        note=payload.note,
    )
    return selectors.version_get(user=request.user, pk=version_id)


@router.post("/versions/{version_id}/publish", response=VersionDetailOut, summary="发布草稿（此后不再修改）")
def version_publish(request, version_id: Id):
    services.form_version_publish(user=request.user, version_id=version_id)
    return selectors.version_get(user=request.user, pk=version_id)


def _survey_forms(survey) -> list[dict]:
    return [
        {"role": role, "role_label": label, "version": version,
         "form_code": version.form.code if version else None, "form_name": version.form.name if version else None}
        for role, label, version in selectors.survey_form_rows(survey)
    ]  # fmt: skip


@router.get("/surveys/{survey_id}", response=list[SurveyFormOut], summary="一项调查各用途所用的表式版本")
def survey_forms(request, survey_id: Id):
    return _survey_forms(selectors.survey_get(user=request.user, pk=survey_id))


@router.put("/surveys/{survey_id}/{role}", response=list[SurveyFormOut], summary="设置调查某一用途所用的版本（开始前）")
def survey_form_set(request, survey_id: Id, role: Role, payload: SurveyFormIn):
    services.survey_form_set(user=request.user, survey_id=survey_id, role=role, version_id=payload.version_id)
    return _survey_forms(selectors.survey_get(user=request.user, pk=survey_id))
