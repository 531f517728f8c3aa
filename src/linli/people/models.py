import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from linli.core.pii import EncryptedCharField

from . import rules


class Estate(models.Model):
    """小区."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="estates")
    name = models.CharField(gettext_lazy("小区名称"), max_length=100)
    address = models.CharField(gettext_lazy("地址"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(gettext_lazy("建成年份"), null=True, blank=True)

    class Management(models.TextChoices):
        PROFESSIONAL = "professional", gettext_lazy("专业物业")
        SELF = "self", gettext_lazy("自管")
        NONE = "none", gettext_lazy("无物业·弃管")

    # 物业化 status. 专业物业 exactly when a property company serves the estate (a database constraint); 自管 and
    # 无物业·弃管 have none. linli.property's services change both together.
    management = models.CharField(
        gettext_lazy("物业化状态"), max_length=12, choices=Management.choices, default=Management.NONE
    )
    property_company = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "company"},
        related_name="estates",
        verbose_name=gettext_lazy("物业服务企业"),
    )
    latitude = models.DecimalField(gettext_lazy("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(gettext_lazy("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # The estate's land as GeoJSON (WGS-84): drawn on maps that have no tile service.
    outline = models.JSONField(gettext_lazy("轮廓(GeoJSON)"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = verbose_name_plural = gettext_lazy("小区")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="estate_unique_name"),
            models.CheckConstraint(
                condition=models.Q(management="professional", property_company__isnull=False)
                | (~models.Q(management="professional") & models.Q(property_company__isnull=True)),
                name="estate_management_has_company",
            ),
        ]

    def __str__(self):
        return self.name


class Building(models.Model):
    """楼栋."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="buildings")
    number = models.CharField(gettext_lazy("楼栋号"), max_length=20)
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="buildings")
    floors = models.PositiveSmallIntegerField(gettext_lazy("层数"), null=True, blank=True)
    latitude = models.DecimalField(gettext_lazy("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(gettext_lazy("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["estate", "number"]
        # The base map asks for the buildings inside the view (a latitude band, then longitude).
        indexes = [models.Index(fields=["latitude", "longitude"], name="building_point")]
        verbose_name = verbose_name_plural = gettext_lazy("楼栋")
        constraints = [models.UniqueConstraint(fields=["estate", "number"], name="building_unique_number")]

    def __str__(self):
        return _("%(number)s号楼") % {"number": self.number}


class Unit(models.Model):
    """单元."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units")
    number = models.CharField(gettext_lazy("单元号"), max_length=20)

    class Meta:
        ordering = ["building", "number"]
        verbose_name = verbose_name_plural = gettext_lazy("单元")
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number")]

    def __str__(self):
        return _("%(number)s单元") % {"number": self.number}


class House(models.Model):
    """房屋: the exclusive area (专有部分面积) is what counts in owners' votes (Civil Code art. 278)."""

    class Use(models.TextChoices):
        OWNER_OCCUPIED = "own", gettext_lazy("自住")
        RENTED = "rent", gettext_lazy("出租")
        VACANT = "vacant", gettext_lazy("空置")
        SHOP = "shop", gettext_lazy("商铺")
        OFFICE = "office", gettext_lazy("办公")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="houses")
    number = models.CharField(gettext_lazy("房号"), max_length=20)
    floor = models.SmallIntegerField(gettext_lazy("楼层"), null=True, blank=True)
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="houses")
    building_area = models.DecimalField(
        gettext_lazy("建筑面积(㎡)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    exclusive_area = models.DecimalField(
        gettext_lazy("专有部分面积(㎡)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    use = models.CharField(gettext_lazy("用途"), max_length=10, choices=Use.choices, default=Use.OWNER_OCCUPIED)
    owners = models.ManyToManyField("Person", through="HouseOwner", related_name="owned_houses")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "number"]
        # The first house of a grid (selectors._first_id): where a region's house and household lists start.
        indexes = [models.Index(fields=["grid", "id"], name="house_grid_id")]
        verbose_name = verbose_name_plural = gettext_lazy("房屋")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="house_unique_number"),
            models.CheckConstraint(condition=models.Q(building_area__gte=0), name="house_area_non_negative"),
        ]

    def __str__(self):
        return self.number


class HouseOwner(models.Model):
    """产权人."""

    house = models.ForeignKey(House, on_delete=models.CASCADE)
    person = models.ForeignKey("Person", on_delete=models.PROTECT)
    since = models.DateField(gettext_lazy("登记日期"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["house", "person"], name="house_owner_unique")]


class Household(models.Model):
    """户: 家庭户 or 集体户 as the census defines them."""

    class Kind(models.TextChoices):
        FAMILY = "family", gettext_lazy("家庭户")
        COLLECTIVE = "collective", gettext_lazy("集体户")

    number = models.CharField(gettext_lazy("户号"), max_length=30, unique=True)
    kind = models.CharField(gettext_lazy("户别"), max_length=12, choices=Kind.choices, default=Kind.FAMILY)
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="households")
    # The house's grid, copied so that a region's list starts its 户号 walk in the region (household_grid_number,
    # which also serves the foreign key); save() and people.services keep it equal to house.grid.
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="households", db_index=False)
    head = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=gettext_lazy("户主")
    )
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["number"]
        verbose_name = verbose_name_plural = gettext_lazy("户")
        indexes = [models.Index(fields=["grid", "number"], name="household_grid_number")]
        permissions = [
            ("view_pii", gettext_lazy("查看完整证件号码和电话")),
            ("export_pii", gettext_lazy("导出完整个人信息")),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        # Saved with its house loaded (created, or moved to another house), or without a grid, a household takes
        # its house's grid. Queryset updates and bulk inserts bypass this: people.services sets the grid in those.
        if self.grid_id is None or Household.house.is_cached(self):
            self.grid_id = self.house.grid_id
        super().save(*args, **kwargs)


class Person(models.Model):
    """人员: one record per person; ID and phone numbers are encrypted, with keyed hashes for lookup."""

    class Gender(models.TextChoices):
        MALE = "M", gettext_lazy("男")
        FEMALE = "F", gettext_lazy("女")

    IdType = models.TextChoices("IdType", [(k, (k, v)) for k, v in rules.ID_TYPE_LABELS.items()])

    class ResidenceType(models.TextChoices):
        REGISTERED = "registered", gettext_lazy("户籍人口")
        RESIDENT = "resident", gettext_lazy("常住人口")
        FLOATING = "floating", gettext_lazy("流动人口")
        SEPARATED = "separated", gettext_lazy("人户分离")
        OVERSEAS = "overseas", gettext_lazy("境外人员")

    class Relationship(models.TextChoices):
        HEAD = "head", gettext_lazy("户主")
        SPOUSE = "spouse", gettext_lazy("配偶")
        CHILD = "child", gettext_lazy("子女")
        PARENT = "parent", gettext_lazy("父母")
        GRANDPARENT = "grandparent", gettext_lazy("祖父母/外祖父母")
        GRANDCHILD = "grandchild", gettext_lazy("孙子女/外孙子女")
        SIBLING = "sibling", gettext_lazy("兄弟姐妹")
        IN_LAW = "in_law", gettext_lazy("儿媳/女婿")
        OTHER_RELATIVE = "relative", gettext_lazy("其他亲属")
        NON_RELATIVE = "non_relative", gettext_lazy("非亲属")

    class Education(models.TextChoices):
        NONE = "none", gettext_lazy("未上过学")
        PRIMARY = "primary", gettext_lazy("小学")
        JUNIOR = "junior", gettext_lazy("初中")
        SENIOR = "senior", gettext_lazy("高中/中专")
        COLLEGE = "college", gettext_lazy("大学专科")
        BACHELOR = "bachelor", gettext_lazy("大学本科")
        POSTGRADUATE = "postgraduate", gettext_lazy("研究生")

    class Employment(models.TextChoices):
        EMPLOYED = "employed", gettext_lazy("在业")
        UNEMPLOYED = "unemployed", gettext_lazy("失业")
        RETIRED = "retired", gettext_lazy("离退休")
        STUDENT = "student", gettext_lazy("在校学生")
        PRESCHOOL = "preschool", gettext_lazy("学龄前")
        OTHER = "other", gettext_lazy("其他")

    class Political(models.TextChoices):
        CPC = "cpc", gettext_lazy("中共党员")
        CPC_PROBATIONARY = "cpc_probationary", gettext_lazy("中共预备党员")
        CYL = "cyl", gettext_lazy("共青团员")
        DEMOCRATIC = "democratic", gettext_lazy("民主党派")
        MASSES = "masses", gettext_lazy("群众")

    class Marital(models.TextChoices):
        SINGLE = "single", gettext_lazy("未婚")
        MARRIED = "married", gettext_lazy("有配偶")
        DIVORCED = "divorced", gettext_lazy("离婚")
        WIDOWED = "widowed", gettext_lazy("丧偶")

    name = models.CharField(gettext_lazy("姓名"), max_length=50, db_index=True)
    id_type = models.CharField(
        gettext_lazy("证件类型"), max_length=12, choices=IdType.choices, default=rules.ID_RESIDENT
    )
    id_number = EncryptedCharField(gettext_lazy("证件号码"))
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    gender = models.CharField(gettext_lazy("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(gettext_lazy("出生日期"), null=True, blank=True, db_index=True)
    ethnicity = models.CharField(gettext_lazy("民族"), max_length=10, blank=True)
    phone = EncryptedCharField(gettext_lazy("联系电话"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    hukou_address = models.CharField(gettext_lazy("户籍地"), max_length=200, blank=True)
    current_address = models.CharField(gettext_lazy("现住址"), max_length=200, blank=True)
    residence_type = models.CharField(
        gettext_lazy("人口类型"), max_length=12, choices=ResidenceType.choices, default=ResidenceType.REGISTERED
    )
    education = models.CharField(gettext_lazy("文化程度"), max_length=12, choices=Education.choices, blank=True)
    employment = models.CharField(gettext_lazy("就业状况"), max_length=12, choices=Employment.choices, blank=True)
    employer = models.CharField(gettext_lazy("工作单位"), max_length=100, blank=True)
    political_status = models.CharField(gettext_lazy("政治面貌"), max_length=16, choices=Political.choices, blank=True)
    marital_status = models.CharField(gettext_lazy("婚姻状况"), max_length=10, choices=Marital.choices, blank=True)
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=gettext_lazy("户"),
    )
    relationship = models.CharField(gettext_lazy("与户主关系"), max_length=12, choices=Relationship.choices, blank=True)
    # Where the person lives, for scope: the grid of their household's house, or of their rental.
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="persons")
    tags = models.ManyToManyField("Tag", through="PersonTag", related_name="persons")
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "id_hash", "phone_hash"])

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = gettext_lazy("人员")
        # The list filters scope by grid, then by residence type and age: these let the count and the page be
        # read from the index instead of the wide, encrypted rows.
        # (grid, id): a grid's page in id order, read from the index instead of filtering the primary key's walk.
        indexes = [
            models.Index(fields=["grid", "id"], name="person_grid_id"),
            models.Index(fields=["grid", "birth_date"], name="person_grid_birth"),
            models.Index(fields=["grid", "residence_type", "birth_date"], name="person_grid_type_birth"),
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """人员标签: groups that need care or attention. Sensitive ones need their own permission."""

    code = models.SlugField(gettext_lazy("代码"), max_length=30, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=30, unique=True)
    sensitive = models.BooleanField(gettext_lazy("敏感"), default=False)
    graded = models.BooleanField(gettext_lazy("分等级(1-4级)"), default=False)
    order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = gettext_lazy("人员标签")
        permissions = [("view_sensitive_tags", gettext_lazy("查看敏感标签"))]

    def __str__(self):
        return self.name


class PersonTag(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(gettext_lazy("等级"), null=True, blank=True)
    note = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = gettext_lazy("人员标签记录")
        constraints = [
            models.UniqueConstraint(fields=["person", "tag"], name="person_tag_unique"),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=4),
                name="person_tag_grade_1_to_4",
            ),
        ]


class Rental(models.Model):
    """出租屋登记."""

    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="rentals")
    landlord = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="rentals_let", verbose_name=gettext_lazy("房东")
    )
    starts_on = models.DateField(gettext_lazy("租期开始"))
    ends_on = models.DateField(gettext_lazy("租期结束"), null=True, blank=True)
    rent = models.DecimalField(gettext_lazy("月租金(元)"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = verbose_name_plural = gettext_lazy("出租屋")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="rental_dates_ordered",
            )
        ]


class RentalTenant(models.Model):
    """承租人 (流动人口登记)."""

    rental = models.ForeignKey(Rental, on_delete=models.CASCADE, related_name="tenants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tenancies")
    registered_on = models.DateField(gettext_lazy("登记日期"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rental", "person"], name="rental_tenant_unique")]


def job_file_name(instance, filename: str) -> str:
    """Uploads and exports kept for a background job: a random name, so no person's data shows in a path."""
    return f"jobs/{uuid.uuid4().hex}.xlsx"


class BackgroundJob(models.Model):
    """What an import and an export run by the worker share: their task, their progress and a heartbeat. A job
    whose heartbeat stops while it runs lost its worker; the stale-job sweep marks it failed (docs/operations.md)."""

    task_id = models.CharField(max_length=64, blank=True, editable=False)
    progress = models.PositiveIntegerField(gettext_lazy("已处理"), default=0)
    progress_total = models.PositiveIntegerField(gettext_lazy("共计"), default=0)
    heartbeat_at = models.DateTimeField(gettext_lazy("最近进展"), null=True, blank=True)
    message = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    started_at = models.DateTimeField(gettext_lazy("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True


class ImportJob(BackgroundJob):
    """一次Excel导入: all or nothing; a rejected file keeps its per-row issues for the report."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("排队等待")
        RUNNING = "running", gettext_lazy("导入中")
        DONE = "done", gettext_lazy("已导入")
        REJECTED = "rejected", gettext_lazy("有错误，未导入")
        FAILED = "failed", gettext_lazy("中途出错，已撤销")

    class Stage(models.TextChoices):
        CHECK = "check", gettext_lazy("检查")
        WRITE = "write", gettext_lazy("写入")
        UNDO = "undo", gettext_lazy("撤销")

    class OnDuplicate(models.TextChoices):
        SKIP = "skip", gettext_lazy("跳过已登记人员")
        UPDATE = "update", gettext_lazy("用表中内容更新已登记人员")

    kind = models.CharField(gettext_lazy("类型"), max_length=20, default="persons")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("导入人")
    )
    file_name = models.CharField(gettext_lazy("文件名"), max_length=200)
    upload = models.FileField(
        gettext_lazy("上传的文件"), upload_to=job_file_name, blank=True
    )  # deleted when the job ends
    on_duplicate = models.CharField(
        gettext_lazy("重复人员"), max_length=10, choices=OnDuplicate.choices, default=OnDuplicate.SKIP
    )
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(gettext_lazy("阶段"), max_length=10, choices=Stage.choices, default=Stage.CHECK)
    rows = models.PositiveIntegerField(gettext_lazy("数据行数"), default=0)
    created = models.PositiveIntegerField(gettext_lazy("新增人员"), default=0)
    updated = models.PositiveIntegerField(gettext_lazy("更新人员"), default=0)
    skipped = models.PositiveIntegerField(gettext_lazy("跳过人员"), default=0)
    households_created = models.PositiveIntegerField(gettext_lazy("新增户"), default=0)
    error_count = models.PositiveIntegerField(gettext_lazy("错误数"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = gettext_lazy("导入任务")
        indexes = [models.Index(fields=["user", "-started_at"]), models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"


class ImportStep(models.Model):
    """What one committed batch of an import wrote. An import writes in short transactions, one batch each, so it
    never holds the database's write lock for long; until it is done its steps are kept, and an import that fails
    or loses its worker half-way is undone step by step, newest first."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="steps")
    households = models.JSONField(default=list)  # ids created
    persons = models.JSONField(default=list)  # ids created
    tags = models.JSONField(default=list)  # ids of tag links added to persons already registered
    # JSON of what the batch replaced: {"persons": {id: {field: value}}, "grades": {link id: grade},
    # "heads": {household id: head id}}; encrypted, as it holds phone and ID numbers.
    before = EncryptedCharField(blank=True)


class ExportJob(BackgroundJob):
    """一次人员导出, written by the worker; each download of the file is written to the audit log."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("排队等待")
        RUNNING = "running", gettext_lazy("导出中")
        DONE = "done", gettext_lazy("已完成")
        FAILED = "failed", gettext_lazy("失败")
        EXPIRED = "expired", gettext_lazy("已过期")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("导出人")
    )
    filters = models.JSONField(gettext_lazy("筛选条件"), default=dict)
    unmasked = models.BooleanField(gettext_lazy("完整证件号码和电话"), default=False)
    purpose = models.CharField(gettext_lazy("导出用途"), max_length=200, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    count = models.PositiveIntegerField(gettext_lazy("人数"), default=0)
    object_ids = models.JSONField(default=list)  # the first ids written, for the audit entry of each download
    file = models.FileField(gettext_lazy("文件"), upload_to=job_file_name, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = gettext_lazy("导出任务")
        indexes = [models.Index(fields=["user", "-started_at"]), models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return _("导出#%(pk)s（%(get_status_display)s）") % {
            "pk": self.pk,
            "get_status_display": self.get_status_display(),
        }


class ImportIssue(models.Model):
    """One problem found in an import file: the Excel row, the column label and a Chinese message."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(gettext_lazy("行号"), null=True, blank=True)
    column = models.CharField(gettext_lazy("列"), max_length=20, blank=True)
    message = models.CharField(gettext_lazy("错误说明"), max_length=300)

    class Meta:
        ordering = ["job", "row", "id"]
        verbose_name = verbose_name_plural = gettext_lazy("导入错误")
        indexes = [models.Index(fields=["job", "row"])]
