"""A small Chinese archive for the search tests: boxes of the persona district's offices (甲一社区, 甲二社区, 乙一社区,
甲街道, the district) with items whose words are in their titles, their text, or only in their files (.docx with a
table, .xlsx, .pdf), plus a damaged and a forged file. Each item goes through item_changed, as the archive's
services call it (the tests' task backend runs the indexing at once)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile

from linli.archives import rules
from linli.archives.models import Box, Category, Item
from linli.archives.search import services
from linli.demo.archives import docx_bytes, pdf_bytes, xlsx_bytes
from linli.testing import factories


@dataclass
class Corpus:
    world: factories.World
    ids: dict[str, int] = field(default_factory=dict)
    boxes: dict[str, Box] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)

    def names(self, ids) -> set[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return {by_id[i] for i in ids}


def build() -> Corpus:
    w = factories.world()
    c = Corpus(w)
    c.categories = {n: Category.objects.create(name=n, order=i) for i, n in enumerate(rules.DEFAULT_CATEGORIES, 1)}
    for key, region, topic, year in [
        ("a1_piracy", w.community_a1, "扫黄打非", 2026), ("a1_civil", w.community_a1, "创建文明城区", 2026),
        ("a1_burden", w.community_a1, "社区减负", 2026), ("a1_old", w.community_a1, "扫黄打非", 2025),
        ("a2_piracy", w.community_a2, "扫黄打非", 2026), ("b1_piracy", w.community_b1, "扫黄打非", 2026),
        ("street", w.street_a, "扫黄打非", 2026), ("district", w.district, "扫黄打非", 2026),
    ]:  # fmt: skip
        c.boxes[key] = Box.objects.create(region=region, topic=topic, year=year)

    def item(key, box, category, title, text="", file=None, region=None, tags=()):
        i = Item(box=c.boxes[box], category=c.categories[category], title=title, text=text, date=date(2026, 3, 1),
                 region=region or c.boxes[box].region, tags=list(tags))  # fmt: skip
        if file:
            name, data = file
            i.file.save(name, ContentFile(data), save=False)
            i.file_name, i.file_size = name, len(data)
        i.save()
        services.item_changed(i.pk)
        c.ids[key] = i.pk

    item(
        "notice",
        "a1_piracy",
        "上级文件",
        "关于开展2026年扫黄打非进基层工作的通知",
        "各社区要开展护苗行动，清理校园周边非法出版物。",
    )
    item(
        "record",
        "a1_civil",
        "活动记录",
        "楼道堆物清理活动记录",
        "组织网格员和志愿者清理楼道堆物，助力创建文明城区。",
        region=w.grid_a1,
        tags=["环境卫生"],
    )
    item(
        "lists",
        "a1_burden",
        "本级文件",
        "社区工作事项说明",
        file=(
            "说明.docx",
            docx_bytes(
                "社区工作事项说明", ["本社区严格落实两个清单。"], [["事项", "依据"], ["居住证明", "户口登记条例"]]
            ),
        ),
    )
    item(
        "hours",
        "a1_burden",
        "报表",
        "志愿者服务时长表",
        file=("时长.xlsx", xlsx_bytes("时长", [["姓名", "小时"], ["王建国", 12], ["李秀英", 8]])),
    )
    item("sorting", "a1_civil", "汇报", "环境整治情况汇报", file=("汇报.pdf", pdf_bytes(["厨余垃圾分类", "桶前值守"])))
    item("mention", "a1_old", "总结", "2025年工作总结", "全年开展各类活动二十次，其中扫黄打非宣传三次。")
    item("a2", "a2_piracy", "总结", "甲二社区扫黄打非工作总结", "绿书签行动。")
    item("b1", "b1_piracy", "工作方案", "乙一社区扫黄打非工作方案", "出版物市场检查。")
    item("street", "street", "本级文件", "甲街道扫黄打非工作要点", "护苗行动进校园。")
    item("district", "district", "上级文件", "区扫黄打非办关于护苗行动的通知", "全区开展护苗行动。")
    item("damaged", "a1_piracy", "图片", "损坏的扫描件", file=("扫描.pdf", b"%PDF-1.4\n1 0 obj << garbage"))
    item("forged", "a1_piracy", "报表", "伪装的报表", file=("报表.docx", b"MZ\x90\x00 not a document"))
    return c
