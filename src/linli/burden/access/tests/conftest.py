import pytest
from django.core.files.base import ContentFile

from linli.burden.access import rules, services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name: str = "依据.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4 policy", name=name)


def documents() -> list:
    return [(rules.BASIS_DOC, pdf("文件依据.pdf")), (rules.PLAN_DOC, pdf("工作方案.pdf"))]


def apply(world, user: str = "dept_handler", submit: bool = True, **extra):
    fields = {"title": "餐饮油烟入户调查", "kind": "form", "content": "请社区逐户登记餐饮商户油烟净化设施情况",
              "basis": "《大气污染防治法》第八十一条", "reason": "部门力量不足", "documents": documents(),
              "community_ids": [world.community_a1.pk], "submit": submit}  # fmt: skip
    return services.application_create(user=world.users[user], **{**fields, **extra})
