"""回访 in the API, under /api/v1/cases beside the case engine's router: the call list with each call's script.
The answers are the case actions `visit` (solved, and the rating unless rated already) and `visit_try`, posted to
/cases/{id}/actions/{action} like every other step."""

from datetime import datetime

from ninja import Field, Router
from ninja.pagination import paginate

from linli.core.pagination import Pages
from linli.core.pii import mask_phone
from linli.core.schemas import Schema

from . import selectors

router = Router(tags=["cases"])


class CallOut(Schema):
    id: int
    number: str
    version: int = Field(description="回访、回访未接通时提交的版本号")
    category: str
    department: str = Field(description="主办单位")
    reporter_name: str
    reporter_phone: str = Field(description="脱敏；完整号码经 POST /cases/{id}/reveal 说明用途后查看（记入审计）")
    closed_at: datetime
    rated: bool = Field(description="反映人已在线评价：回访只问是否解决")
    tries: int = Field(description="此前未接通的次数")
    script: list[str] = Field(description="回访话术，按顺序念")

    @staticmethod
    def resolve_category(case) -> str:
        return case.category.name

    @staticmethod
    def resolve_department(case) -> str:
        return case.lead_department.name if case.lead_department_id else ""

    @staticmethod
    def resolve_reporter_phone(case) -> str:
        return mask_phone(case.reporter_phone)

    @staticmethod
    def resolve_rated(case) -> bool:
        return bool(case.rating)

    @staticmethod
    def resolve_tries(case) -> int:
        return case.visit_tries

    @staticmethod
    def resolve_script(case, context) -> list[str]:
        return selectors.calls(user=context["request"].user, cases=[case])[0].script


@router.get("/visits", response=list[CallOut], summary="回访：已结案、尚未回访的案件及回访话术，结案早的在前")
@paginate(Pages)
def call_list(request):
    """Closed cases in the caller's scope whose reporter left a phone and has not been visited since the last close.
    For street and district staff and administrators (403 otherwise), who record the answers."""
    return selectors.call_list(user=request.user)
