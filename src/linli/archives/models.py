"""电子台账与档案 as data: categories, boxes per topic and year, and the items filed in them.

The search index over items (titles, text and the text of their files) is the search package's business.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules


class Category(models.Model):
    """A kind of item in a box: the eight of "一盒档案" for every district (district empty), and others a district
    adds."""

    district = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("区"),
    )
    name = models.CharField(gettext_lazy("类别"), max_length=20)
    order = models.PositiveSmallIntegerField(gettext_lazy("顺序"), default=0)
    active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="archive_category_once")]
        verbose_name = verbose_name_plural = gettext_lazy("档案类别")

    def __str__(self):
        return self.name


class Box(models.Model):
    """一盒档案: the files of one topic (扫黄打非, 创建文明城区, 社区减负 …) kept by one office for one year."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("所属单位")
    )
    topic = models.CharField(gettext_lazy("主题"), max_length=60)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    note = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "topic", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "topic", "year"], name="archive_box_once")]
        verbose_name = verbose_name_plural = gettext_lazy("档案盒")

    def __str__(self):
        return _("%(year)s年 %(topic)s") % {"year": self.year, "topic": self.topic}


class Item(models.Model):
    """One filed record: a document, an activity record, a report, a photo … with its file if it has one."""

    IndexState = models.TextChoices("IndexState", [(k, (k, v)) for k, v in rules.INDEX_STATE_LABELS.items()])

    box = models.ForeignKey(Box, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="items", verbose_name=gettext_lazy("类别")
    )
    # The place the record is about: the box's office or a place below it.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("区域")
    )
    title = models.CharField(gettext_lazy("标题"), max_length=200)
    text = models.TextField(gettext_lazy("正文"), blank=True)
    date = models.DateField(gettext_lazy("日期"))
    tags = models.JSONField(gettext_lazy("标签"), default=list, blank=True)
    file = models.FileField(upload_to="archives/%Y/%m/", blank=True)
    file_name = models.CharField(gettext_lazy("文件名"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    # The text taken out of the file (.docx, .xlsx, .pdf) by the background indexer.
    file_text = models.TextField(blank=True)
    index_state = models.CharField(max_length=10, choices=IndexState.choices, default=rules.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["box", "category__order", "date", "id"]
        indexes = [
            models.Index(fields=["box", "category", "date"], name="archive_item_box"),
            models.Index(fields=["region", "date"], name="archive_item_region"),
        ]
        verbose_name = verbose_name_plural = gettext_lazy("档案条目")

    def __str__(self):
        return self.title


class EvidenceLink(models.Model):
    """An item attached as 佐证材料 to something another module keeps: a campaign's progress report
    ("campaigns.report", the report's id) or an assessment unit's item ("assessment.unit", the round unit's id, with
    the assessment item as `part_id`). Whoever may read that target may open the item through the link."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="evidence_links")
    source = models.CharField(max_length=30)
    source_id = models.PositiveBigIntegerField()
    part_id = models.PositiveBigIntegerField(default=0)  # 0: the target as a whole
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "source_id", "part_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id", "part_id", "item"], name="archive_evidence_once")
        ]
        indexes = [models.Index(fields=["item"], name="archive_evidence_item")]
        verbose_name = verbose_name_plural = gettext_lazy("档案佐证关联")
