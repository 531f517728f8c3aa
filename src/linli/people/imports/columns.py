"""The person workbook's columns: what the import template offers, the import reads and the export writes."""

from dataclasses import dataclass

from linli.people import rules
from linli.people.models import Household
from linli.people.services import PERSON_COLUMNS

SHEET_NAME = "人员登记"
EXAMPLE_PREFIX = "示例"  # a row whose 户号 starts with this is the template's example and is skipped
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class SheetColumn:
    field: str
    label: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()  # labels offered in the dropdown
    text: bool = False  # keep as text in Excel (numbers that must not become 1.1E+17)
    width: int = 12


def _labels(choices) -> tuple[str, ...]:
    return tuple(str(label) for _, label in choices.choices)


_PERSON_HELP = {
    "name": ("不超过50个字。", 10),
    "id_type": ("下拉选择；不填按居民身份证处理。", 14),
    "id_number": (
        "居民身份证为18位，系统核对出生日期、地址码和末位校验码。本列已设为文本格式，"
        "请勿改成数字格式，否则Excel会把号码变成科学计数法、丢失末几位。",
        22,
    ),
    "gender": ("居民身份证可不填，由号码推出；填写时须与号码一致。护照等证件必须填写。", 8),
    "birth_date": ("如 1990-03-07。居民身份证可不填，由号码推出；填写时须与号码一致。", 12),
    "ethnicity": ("下拉选择，如“汉族”；也可只写“汉”。", 10),
    "phone": ("11位手机号，或“区号-号码”格式的固定电话，如 024-88886666。", 14),
    "hukou_address": ("户籍所在地，不超过200个字。", 24),
    "current_address": ("现居住地址，不超过200个字。", 24),
    "residence_type": ("下拉选择；不填按户籍人口处理。", 12),
    "education": ("下拉选择。", 12),
    "employment": ("下拉选择。", 10),
    "employer": ("不超过100个字。", 18),
    "political_status": ("下拉选择。", 12),
    "marital_status": ("下拉选择。", 10),
    "relationship": ("下拉选择。每户只能有一名“户主”，导入后自动登记为该户户主。", 14),
    "note": ("不超过200个字。", 18),
}

HOUSEHOLD_COLUMNS = [
    SheetColumn(
        "household_number",
        "户号",
        "同一户的成员填写相同的户号。已登记的户填写原户号即可把人员归入该户；新户号会新建一户。",
        required=True,
        text=True,
        width=14,
    ),
    SheetColumn(
        "kind", "户别", "家庭户或集体户，不填按家庭户处理；只对新建的户有效。", choices=_labels(Household.Kind), width=9
    ),
    SheetColumn(
        "estate", "小区", "新户必填：本辖区内已登记的小区名称。已登记的户可不填小区、楼栋、单元、房号。", width=14
    ),
    SheetColumn("building", "楼栋", "新户必填：楼栋号，如“3”或“3号楼”。", text=True, width=8),
    SheetColumn("unit", "单元", "新户必填：单元号，如“1”或“1单元”。", text=True, width=8),
    SheetColumn("house_number", "房号", "新户必填：房号，如“502”。房屋须已在系统中登记。", text=True, width=8),
]
_PERSON_SHEET_COLUMNS = [
    SheetColumn(
        c.field,
        c.label,
        _PERSON_HELP[c.field][0],
        required=c.required,
        choices=(tuple(rules.ETHNIC_GROUPS) if c.field == "ethnicity" else _labels(c.choices) if c.choices else ()),
        text=c.field in ("id_number", "phone"),
        width=_PERSON_HELP[c.field][1],
    )
    for c in PERSON_COLUMNS
]
TAGS_COLUMN = SheetColumn(
    "tags",
    "标签",
    "可不填。多个标签用逗号分隔，如“独居老人,残疾人(2级)”；分等级的标签须在括号中写明等级（1-4级）。",
    width=22,
)
SHEET_COLUMNS = [*HOUSEHOLD_COLUMNS, *_PERSON_SHEET_COLUMNS, TAGS_COLUMN]
LABEL_BY_FIELD = {c.field: c.label for c in SHEET_COLUMNS}
FIELD_BY_LABEL = {c.label: c.field for c in SHEET_COLUMNS}
PERSON_FIELDS = [c.field for c in PERSON_COLUMNS]
HOUSE_FIELDS = ("estate", "building", "unit", "house_number")
