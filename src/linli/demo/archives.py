"""电子台账 of the demo (000 篇4, "一盒档案"; 004 篇十八, 数据一次采集 and ledgers kept on the platform): for each
community, a box per topic (扫黄打非, 创建文明城区, 社区减负, 志愿服务, 垃圾分类, 平安建设) and year, holding items of
the eight categories with Chinese text; about one item in four has a real file — a .docx (paragraphs and a table),
an .xlsx (a 报表 sheet) or a .pdf — written here and stored like an upload. About 300 items per community at scale 1.

The items go in by bulk insert and are indexed in bulk (archives.search.services.index_items: the files' text read
back by the same extraction the worker runs, then the words written), not through a task per item.

The file writers (docx_bytes, xlsx_bytes, pdf_bytes) are also the tests' and the benchmark's.
"""

import io
import random
import zipfile
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from linli.accounts.models import Role, User
from linli.archives import rules
from linli.archives.models import Box, Category, Item
from linli.archives.search import extract, services
from linli.regions.models import Region

TOPICS = {
    "扫黄打非": ("扫黄打非进基层", "出版物市场", "非法出版物", "网络有害信息", "护苗行动", "绿书签", "文化市场巡查",
                 "盗版教辅", "正版图书"),
    "创建文明城区": ("文明城区创建", "背街小巷", "楼道堆物", "公益广告", "文明交通劝导", "环境卫生", "道德讲堂",
                     "文明家庭", "占道经营"),
    "社区减负": ("社区减负", "两个清单", "工作准入", "证明事项", "挂牌清理", "台账精简", "数据一次采集", "考核评比",
                 "微信工作群"),
    "志愿服务": ("志愿服务", "学雷锋", "关爱空巢老人", "志愿者招募", "服务时长", "邻里互助", "助残服务", "爱心义剪",
                 "志愿服务站"),
    "垃圾分类": ("垃圾分类", "厨余垃圾", "可回收物", "桶前值守", "分类投放", "积分兑换", "源头减量", "督导员",
                 "大件垃圾"),
    "平安建设": ("平安建设", "消防安全", "防范电信诈骗", "矛盾纠纷排查", "治安巡逻", "电动车充电", "燃气安全",
                 "反诈宣传", "群防群治"),
}  # fmt: skip
ACTIONS = ("部署", "推进", "开展", "检查", "总结", "宣传", "排查", "整改", "培训", "走访")
PLACES = ("辖区商铺", "居民楼院", "社区广场", "学校周边", "老旧小区", "农贸市场", "物业公司", "党群服务中心")
PEOPLE = ("网格员", "楼长", "志愿者", "社区民警", "物业人员", "居民代表", "党员", "在职党员")
TITLES = {
    "上级文件": "{street}关于{act}{thing}工作的通知",
    "本级文件": "{community}{thing}工作实施细则",
    "工作方案": "{community}{year}年{thing}工作方案",
    "活动记录": "{community}{thing}活动记录（{month}月）",
    "汇报": "{community}关于{thing}工作情况的汇报",
    "总结": "{community}{year}年{thing}工作总结",
    "报表": "{community}{thing}情况统计表（{month}月）",
    "图片": "{thing}活动照片（{month}月）",
}
ITEMS_PER_COMMUNITY = 300
FILE_SHARE = 0.25
YEARS = 2  # this year and the one before


# ---------------------------------------------------------------------------------------------- the files


def docx_bytes(title: str, paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    """A minimal .docx (Word opens it; python-docx reads it): a title, paragraphs, then a table."""

    def para(text: str, bold: bool = False) -> str:
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = [para(title, bold=True), *(para(p) for p in paragraphs)]
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>{para(c)}</w:tc>"
                               for c in row) + "</w:tr>"
            for row in table
        )  # fmt: skip
        grid = "".join('<w:gridCol w:w="2000"/>' for _ in table[0])
        borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                          for s in ("top", "left", "bottom", "right", "insideH", "insideV"))  # fmt: skip
        body.append(f"<w:tbl><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>"
                    f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")  # fmt: skip
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", document)
    return out.getvalue()


def xlsx_bytes(sheet: str, rows: list[list]) -> bytes:
    """An .xlsx of one sheet (openpyxl, write-only)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF of Chinese lines in the standard font STSong-Light (Adobe-GB1, UniGB-UTF16-H: every reader
    has it; nothing embedded), readable by pypdf's text extraction."""
    text = ["BT /F1 12 Tf 16 TL 56 780 Td"]
    for line in lines[:45]:
        text.append(f"<{line.encode('utf-16-be').hex().upper()}> Tj T*")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- the content


def _paragraphs(rng: random.Random, topic: str, thing: str, community: str, when: date) -> list[str]:
    words = TOPICS[topic]
    out = []
    for _ in range(rng.randint(2, 4)):
        a, b = rng.sample(words, 2)
        out.append(
            f"{when.month}月{rng.randint(1, 28)}日，{community}组织{rng.choice(PEOPLE)}和{rng.choice(PEOPLE)}"
            f"{rng.randint(3, 30)}人，在{rng.choice(PLACES)}{rng.choice(ACTIONS)}{thing}工作，"
            f"重点围绕{a}、{b}，{rng.choice(ACTIONS)}问题{rng.randint(1, 12)}处，"
            f"已{rng.choice(('当场整改', '限期整改', '登记备案', '上报街道'))}。"
        )
    return out


def _file(rng, kind: str, title: str, paragraphs: list[str], thing: str, community: str) -> tuple[str, bytes]:
    if kind == "docx":
        table = [["序号", "事项", "责任人", "完成情况"]] + [
            [str(n), f"{thing}{rng.choice(ACTIONS)}", rng.choice(PEOPLE), rng.choice(("已完成", "推进中"))]
            for n in range(1, rng.randint(3, 6))
        ]
        return f"{title}.docx", docx_bytes(title, paragraphs, table)
    if kind == "xlsx":
        rows = [[title], ["序号", "小区", "检查次数", "发现问题", "已整改", "备注"]] + [
            [n, f"{rng.choice(PLACES)}{n}", rng.randint(1, 9), rng.randint(0, 5), rng.randint(0, 5), thing]
            for n in range(1, rng.randint(4, 9))
        ]
        return f"{title}.xlsx", xlsx_bytes(f"{thing}统计", rows)
    return f"{title}.pdf", pdf_bytes([title, community, *paragraphs])


def _categories() -> dict[str, Category]:
    """The eight of "一盒档案" for every district (created if missing; the archive's own service does the same)."""
    found = {c.name: c for c in Category.objects.filter(district__isnull=True, name__in=rules.DEFAULT_CATEGORIES)}
    for order, name in enumerate(rules.DEFAULT_CATEGORIES, 1):
        if name not in found:
            found[name] = Category.objects.create(district=None, name=name, order=order)
    return found


def build(*, now: datetime, seed: int, scale: float = 1.0) -> list[str]:
    rng = random.Random(f"{seed}:archives")
    categories = _categories()
    communities = list(Region.objects.filter(level=Region.Level.COMMUNITY).select_related("parent").order_by("path"))
    keepers = {u.region_id: u for u in User.objects.filter(role=Role.COMMUNITY_WORKER, region__in=communities)}
    per_community = max(8, round(ITEMS_PER_COMMUNITY * scale))
    today = now.date()
    years = [today.year - n for n in range(YEARS)]
    boxes = Box.objects.bulk_create(
        Box(region=c, topic=topic, year=year, created_by=keepers.get(c.pk), note=f"{c.name}{topic}台账")
        for c in communities for topic in TOPICS for year in years
    )  # fmt: skip
    by_community = {}
    for box in boxes:
        by_community.setdefault(box.region_id, []).append(box)
    items, files = [], 0
    for community in communities:
        grids = list(Region.objects.filter(parent=community).values_list("pk", flat=True)) or [community.pk]
        for n in range(per_community):
            box = by_community[community.pk][n % len(by_community[community.pk])]
            category = rules.DEFAULT_CATEGORIES[rng.randrange(len(rules.DEFAULT_CATEGORIES))]
            start = date(box.year, 1, 1)
            last = min(today, date(box.year, 12, 31))
            when = start + timedelta(days=rng.randrange(max(1, (last - start).days + 1)))
            thing = rng.choice(TOPICS[box.topic])
            title = TITLES[category].format(street=community.parent.name, community=community.name, act=rng.choice(
                ACTIONS), thing=thing, year=box.year, month=when.month)  # fmt: skip
            paragraphs = _paragraphs(rng, box.topic, thing, community.name, when)
            item = Item(
                box=box, category=categories[category], title=title[:200], date=when, created_by=box.created_by,
                region_id=rng.choice(grids) if rng.random() < 0.3 else community.pk,
                text="\n".join(paragraphs) if category != "图片" else f"{thing}活动现场照片。",
                tags=rng.sample([box.topic, thing, *rng.sample(TOPICS[box.topic], 2)], 2),
                index_state=rules.PENDING,
            )  # fmt: skip
            if category != "图片" and rng.random() < FILE_SHARE:
                kind = "xlsx" if category == "报表" else rng.choice(("docx", "docx", "pdf"))
                name, data = _file(rng, kind, title[:60], paragraphs, thing, community.name)
                stored = default_storage.save(f"archives/demo/{community.code}/{box.year}/{name}", ContentFile(data))
                item.file, item.file_name, item.file_size = stored, name, len(data)
                try:
                    item.file_text = extract.extract(io.BytesIO(data), name)
                except extract.ExtractionFailed:
                    item.index_state = rules.FAILED
                files += 1
            items.append(item)
    Item.objects.bulk_create(items, batch_size=500)
    counts = services.index_items(items, extract_files=False)
    return [
        f"{len(boxes)} 个档案盒 archive boxes, {len(items)} 条台账 items ({files} with files), "
        f"{counts[rules.INDEXED]} indexed"
    ]
