"""督办 and 通报 issued before the notification service existed get their inbox messages, each recipient's read
mark carried over from NoticeRead, as notice_issue would have sent them (linli.notifications)."""

from django.db import migrations
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from linli.notifications import rules


def forwards(apps, schema_editor):
    Notice = apps.get_model("campaigns", "Notice")
    NoticeRead = apps.get_model("campaigns", "NoticeRead")
    TaskUnit = apps.get_model("campaigns", "TaskUnit")
    User = apps.get_model("accounts", "User")
    Message = apps.get_model("notifications", "Message")
    for notice in Notice.objects.select_related("plan", "task_unit__task", "issued_by").iterator():
        if notice.task_unit_id:
            units = TaskUnit.objects.filter(pk=notice.task_unit_id)
            template, about = "campaigns.supervise", {"task": notice.task_unit.task.title}
        else:
            units = TaskUnit.objects.filter(task__plan_id=notice.plan_id)
            template, about = "campaigns.circular", {"plan": notice.plan.title}
        recipients = User.objects.filter(
            Q(organization_id__in=units.exclude(organization=None).values("organization_id"))
            | Q(organization=None, region_id__in=units.exclude(region=None).values("region_id")),
            is_active=True,
        )
        by = notice.issued_by  # User.display_name, which a historical model lacks
        issuer = f"{by.first_name} {by.last_name}".strip() or by.username
        context = {**about, "text": notice.text, "issuer": issuer,
                   "issued": f"{timezone.localtime(notice.issued_at):%Y-%m-%d}"}  # fmt: skip
        title, body, _ = rules.render(template, context)
        read = dict(NoticeRead.objects.filter(notice=notice).values_list("user_id", "read_at"))
        Message.objects.bulk_create(
            Message(user_id=user_id, template=template, title=title, body=body, link=reverse("progress:mine"),
                    subject=f"campaigns.notice:{notice.pk}", created_at=notice.issued_at, read_at=read.get(user_id))
            for user_id in recipients.values_list("pk", flat=True)
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_notice_read"), ("notifications", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
