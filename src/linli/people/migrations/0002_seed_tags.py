from django.db import migrations

# SPEC.md §2: groups that need care or attention. Sensitive: health and justice records (PIPL art. 28).
TAGS = [
    ("elderly_alone", "独居老人", False, False),
    ("empty_nest", "空巢老人", False, False),
    ("maternal", "孕产妇", False, False),
    ("disabled", "残疾人", False, True),
    ("limited_mobility", "行动不便", False, False),
    ("dialysis", "血透患者", False, False),
    ("mental_disorder", "精神障碍患者", True, False),
    ("chronic_disease", "慢性病患者", False, False),
    ("subsistence", "低保户", False, False),
    ("extreme_poverty", "特困人员", False, False),
    ("special_care", "优抚对象", False, False),
    ("veteran", "退役军人", False, False),
    ("left_behind_child", "留守儿童", False, False),
    ("community_correction", "社区矫正对象", True, False),
    ("released_prisoner", "刑满释放人员", True, False),
]


def seed(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for order, (code, name, sensitive, graded) in enumerate(TAGS, start=1):
        Tag.objects.update_or_create(
            code=code, defaults={"name": name, "sensitive": sensitive, "graded": graded, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("people", "Tag").objects.filter(code__in=[t[0] for t in TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
