"""Writes of the archive: the categories (the eight of "一盒档案" for every district, created idempotently; a
district's own, roles.CONFIGURE_ARCHIVES), boxes per office, topic and year, items with their one file (content-
checked, size-capped), and items attached as evidence to other modules' records. A box is kept by its own office
(roles.KEEP_ARCHIVES); edits carry the version read (409 when stale). After every change to an item the search
index is told on commit (archives.search.services). Every change is audited."""

from datetime import date

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext

from linli.audit.models import AuditEntry
from linli.audit.services import audit_record
from linli.core import uploads
from linli.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from linli.regions.models import Region

from . import evidence, rules, selectors
from .models import Box, Category, EvidenceLink, Item
from .search import services as search

ADMIN = AuditEntry.Action.ADMIN
# What an item's file may be: documents, workbooks, scans and photos, as 佐证材料 are elsewhere but larger.
FILES = uploads.Accept(
    (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.JPEG, uploads.PNG, uploads.WEBP), rules.FILE_MAX_MB * uploads.MB
)


def _raise(errors: list) -> None:
    if errors:
        raise ValidationFailed(errors)


def _line(errors: list, field: str, value, label: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.append(FieldError(field, gettext("请填写%(label)s") % {"label": label}))
    elif len(value) > max_length:
        errors.append(
            FieldError(field, gettext("%(label)s不超过%(max_length)s个字") % {"label": label, "max_length": max_length})
        )
    return value


def _audit(user, what: str, pk: int, detail: str) -> None:
    audit_record(actor=user, action=ADMIN, object_type=f"archives.{what}", object_ids=[pk], detail=detail)


def _stale(obj, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise Conflict()


# ---------------------------------------------------------------- categories


def ensure_default_categories() -> list[Category]:
    """The eight categories of "一盒档案" shared by every district, in their order; creates those missing (safe to
    call any number of times, and from two processes at once)."""
    have = {c.name: c for c in Category.objects.filter(district__isnull=True, name__in=rules.DEFAULT_CATEGORIES)}
    for order, name in enumerate(rules.DEFAULT_CATEGORIES, start=1):
        if name not in have:
            with transaction.atomic():
                have[name], _ = Category.objects.get_or_create(district=None, name=name, defaults={"order": order})
    return [have[n] for n in rules.DEFAULT_CATEGORIES]


def _category_fields(errors: list, name: str, order) -> tuple[str, int]:
    name = _line(errors, "name", name, gettext("类别名称"), rules.CATEGORY_MAX)
    if name in rules.DEFAULT_CATEGORIES:
        errors.append(FieldError("name", gettext("“%(name)s”已是默认类别") % {"name": name}))
    if order is None:
        order = 100
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 999:
        errors.append(FieldError("order", gettext("顺序应为0至999的整数")))
    return name, order


@transaction.atomic
def category_create(*, user, district_id: int, name: str, order: int | None = None) -> Category:
    """A category of the district's own, offered beside the eight in its boxes (after them, by `order`)."""
    selectors.check_configurer(user)
    district = selectors.configurable_districts(user=user).filter(pk=district_id).first()
    errors: list[FieldError] = []
    if district is None:
        errors.append(FieldError("district_id", gettext("请选择本辖区的区")))
    name, order = _category_fields(errors, name, order)
    _raise(errors)
    if Category.objects.filter(district=district, name=name).exists():
        raise ValidationFailed([FieldError("name", gettext("已有类别“%(name)s”") % {"name": name})])
    category = Category.objects.create(district=district, name=name, order=order)
    _audit(user, "category", category.pk, f"{district.name}新增档案类别：{name}")
    return category


@transaction.atomic
def category_update(*, user, category_id: int, name: str, order: int | None, active: bool) -> Category:
    """Rename, reorder, retire (no longer offered for new items; the items filed under it stay) or restore a
    district's own category. The eight are not edited."""
    selectors.check_configurer(user)
    districts = selectors.configurable_districts(user=user).values("pk")
    category = Category.objects.select_for_update().filter(district__in=districts, pk=category_id).first()
    if category is None:
        if Category.objects.filter(pk=category_id, district__isnull=True).exists():
            raise PermissionDenied(gettext("“一盒档案”的八个默认类别不能修改"))
        raise Http404(gettext("未找到该记录或无权访问"))
    errors: list[FieldError] = []
    name, order = _category_fields(errors, name, order)
    _raise(errors)
    if Category.objects.filter(district_id=category.district_id, name=name).exclude(pk=category.pk).exists():
        raise ValidationFailed([FieldError("name", gettext("已有类别“%(name)s”") % {"name": name})])
    before = category.name
    category.name, category.order, category.active = name, order, bool(active)
    category.save(update_fields=["name", "order", "active"])
    _audit(user, "category", category.pk, f"修改档案类别：{before} → {name}{'' if active else '（停用）'}")
    return category


# ---------------------------------------------------------------- boxes


def _box_fields(errors: list, topic: str, year: int, note: str) -> tuple[str, str]:
    topic = _line(errors, "topic", topic, gettext("主题"), rules.TOPIC_MAX)
    note = _line(errors, "note", note, gettext("说明"), 200, required=False)
    if problem := rules.year_problem(year):
        errors.append(FieldError("year", problem))
    return topic, note


def _box_taken(region: Region, topic: str, year: int, exclude: int | None = None) -> None:
    qs = Box.objects.filter(region=region, topic=topic, year=year)
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise ValidationFailed(
            [
                FieldError(
                    "topic",
                    gettext("%(name)s已有%(year)s年“%(topic)s”档案盒")
                    % {"name": region.name, "year": year, "topic": topic},
                )
            ]
        )


@transaction.atomic
def box_create(*, user, topic: str, year: int, note: str = "", region_id: int | None = None) -> Box:
    """A box of the user's own office (the administrator names the office) for a topic and a year."""
    selectors.check_keeper(user)
    offices = selectors.keep_regions(user=user)
    region = offices.filter(pk=region_id).first() if region_id else offices.filter(pk=user.region_id).first()
    errors: list[FieldError] = []
    if region is None:
        errors.append(FieldError("region_id", gettext("只能为本单位建档案盒")))
    topic, note = _box_fields(errors, topic, year, note)
    _raise(errors)
    _box_taken(region, topic, year)
    try:
        with transaction.atomic():
            box = Box.objects.create(region=region, topic=topic, year=year, note=note, created_by=user)
    except IntegrityError:
        raise Conflict(
            gettext("%(name)s已有%(year)s年“%(topic)s”档案盒") % {"name": region.name, "year": year, "topic": topic}
        ) from None
    _audit(user, "box", box.pk, f"新建档案盒：{region.name} {year}年 {topic}")
    return box


def _locked_box(user, box_id: int, version: int | None) -> Box:
    selectors.box_to_keep(user=user, pk=box_id)
    box = Box.objects.select_for_update().select_related("region").get(pk=box_id)
    _stale(box, version)
    return box


@transaction.atomic
def box_update(*, user, box_id: int, version: int | None, topic: str, year: int, note: str = "") -> Box:
    box = _locked_box(user, box_id, version)
    errors: list[FieldError] = []
    topic, note = _box_fields(errors, topic, year, note)
    _raise(errors)
    _box_taken(box.region, topic, year, exclude=box.pk)
    box.topic, box.year, box.note = topic, year, note
    box.version += 1
    box.save(update_fields=["topic", "year", "note", "version"])
    _audit(user, "box", box.pk, f"修改档案盒：{box.region.name} {year}年 {topic}")
    return box


@transaction.atomic
def box_delete(*, user, box_id: int, version: int | None = None) -> None:
    """Only an empty box goes; a box with items keeps them (delete the items first)."""
    box = _locked_box(user, box_id, version)
    if box.items.exists():
        raise Conflict(gettext("档案盒内还有条目，不能删除"))
    _audit(user, "box", box.pk, f"删除档案盒：{box.region.name} {box.year}年 {box.topic}")
    box.delete()


# ---------------------------------------------------------------- items


def _item_fields(errors: list, box: Box, *, category_id, title, text, date_, tags, region_id):
    title = _line(errors, "title", title, gettext("标题"), rules.TITLE_MAX)
    text = (text or "").strip()
    if len(text) > rules.TEXT_MAX:
        errors.append(
            FieldError(
                "text", gettext("正文不超过%(TEXT_MAX)s字，较长的材料请作为文件上传") % {"TEXT_MAX": rules.TEXT_MAX}
            )
        )
    category = selectors.categories_for(box.region).filter(pk=category_id).first() if category_id else None
    if category is None:
        errors.append(FieldError("category_id", gettext("请选择本盒可用的类别")))
    if not isinstance(date_, date):
        errors.append(FieldError("date", gettext("请填写日期")))
    tags, problem = rules.clean_tags(tags)
    if problem:
        errors.append(FieldError("tags", problem))
    region = box.region
    if region_id and region_id != box.region_id:
        region = selectors.item_regions(box).filter(pk=region_id).first()
        if region is None:
            errors.append(
                FieldError("region_id", gettext("区域应为%(name)s或其下的社区、网格") % {"name": box.region.name})
            )
    return {"title": title, "text": text, "category": category, "date": date_, "tags": tags, "region": region}


def _file(errors: list, file):
    if file is None:
        return None
    try:
        return uploads.check(file, FILES, field="file", label=gettext("文件"))
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        return None


def _store(item: Item, checked) -> None:
    name = checked.name[-200:]
    item.file.save(name, checked.file, save=False)
    item.file_name, item.file_size, item.file_text = name, checked.file.size, ""


def _tell_index(item_id: int) -> None:
    transaction.on_commit(lambda: search.item_changed(item_id))


@transaction.atomic
def item_create(*, user, box_id: int, category_id: int, title: str, date: date, text: str = "", tags=(),
                region_id: int | None = None, file=None) -> Item:  # fmt: skip
    """An item filed in a box the user keeps, with its one file if any; indexed in the background."""
    box = _locked_box(user, box_id, None)
    errors: list[FieldError] = []
    fields = _item_fields(errors, box, category_id=category_id, title=title, text=text, date_=date, tags=tags,
                          region_id=region_id)  # fmt: skip
    checked = _file(errors, file)
    _raise(errors)
    item = Item(box=box, created_by=user, index_state=rules.PENDING, **fields)
    if checked is not None:
        _store(item, checked)
    item.save()
    _audit(user, "item", item.pk, f"归档：{box} {item.title}")
    _tell_index(item.pk)
    return item


@transaction.atomic
def item_update(*, user, item_id: int, version: int | None, category_id: int, title: str, date: date,
                text: str = "", tags=(), region_id: int | None = None, file=None,
                remove_file: bool = False) -> Item:  # fmt: skip
    """Edits an item; a new file replaces the old one, `remove_file` takes it away. Re-indexed in the background."""
    found = selectors.item_to_keep(user=user, pk=item_id)
    item = Item.objects.select_for_update().select_related("box__region").get(pk=found.pk)
    _stale(item, version)
    errors: list[FieldError] = []
    fields = _item_fields(errors, item.box, category_id=category_id, title=title, text=text, date_=date, tags=tags,
                          region_id=region_id)  # fmt: skip
    checked = _file(errors, file)
    _raise(errors)
    old_file = item.file.name if (checked is not None or remove_file) and item.file else ""
    for key, value in fields.items():
        setattr(item, key, value)
    if checked is not None:
        _store(item, checked)
    elif remove_file and item.file:
        item.file, item.file_name, item.file_size, item.file_text = None, "", 0, ""
    item.index_state = rules.PENDING
    item.version += 1
    item.save()
    if old_file:
        storage = item.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    _audit(user, "item", item.pk, f"修改条目：{item.box} {item.title}")
    _tell_index(item.pk)
    return item


@transaction.atomic
def item_delete(*, user, item_id: int, version: int | None = None) -> None:
    """Deletes an item, its file and its evidence links; the index drops it on commit."""
    found = selectors.item_to_keep(user=user, pk=item_id)
    item = Item.objects.select_for_update().get(pk=found.pk)
    _stale(item, version)
    pk, name, storage = item.pk, item.file.name if item.file else "", item.file.storage
    _audit(user, "item", pk, f"删除条目：{found.box} {item.title}")
    item.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    transaction.on_commit(lambda: search.item_deleted(pk))


# ---------------------------------------------------------------- evidence


@transaction.atomic
def evidence_attach(*, user, item_id: int, source: str, source_id: int, part_id: int = 0) -> EvidenceLink:
    """Attaches an item the user reads to a target the user may attach evidence to (archives.evidence): its
    readers then open the item through the link, wherever its box lies."""
    selectors.check_reader(user)
    target = evidence.target_to_attach(user, source, source_id, part_id or 0)
    item = selectors.item_get(user=user, pk=item_id)
    link, made = EvidenceLink.objects.get_or_create(
        item=item, source=source, source_id=source_id, part_id=part_id or 0, defaults={"linked_by": user}
    )
    if not made:
        raise Conflict(gettext("“%(title)s”已作为佐证材料") % {"title": item.title})
    _audit(user, "evidence", link.pk, f"佐证：{item.title} → {target.title}")
    return link


@transaction.atomic
def evidence_detach(*, user, link_id: int) -> None:
    """Takes an item off a target: whoever may attach to the target may."""
    link = EvidenceLink.objects.select_related("item").filter(pk=link_id).first()
    if link is None:
        raise Http404(gettext("未找到该记录或无权访问"))
    target = evidence.target(user, link.source, link.source_id)
    if not target.may_attach:
        raise PermissionDenied(gettext("您不能移除此佐证材料"))
    _audit(user, "evidence", link.pk, f"移除佐证：{link.item.title} ← {target.title}")
    link.delete()


def item_file_replace(*, user, item_id: int, version: int | None, file) -> Item:
    """Uploads or replaces an item's file, its other fields unchanged."""
    item = selectors.item_to_keep(user=user, pk=item_id)
    if file is None:
        raise ValidationFailed([FieldError("file", gettext("请选择文件"))])
    return item_update(user=user, item_id=item.pk, version=version, category_id=item.category_id, title=item.title,
                       date=item.date, text=item.text, tags=item.tags, region_id=item.region_id,
                       file=file)  # fmt: skip
