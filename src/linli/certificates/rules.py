"""Certificates of the residents' committee (居委会出具证明, 004 篇十八): pure rules, no ORM.

The seal certifies only the matters of 《社区居委会日常出具证明事项》 (15 by default, each with its legal basis; a
district keeps its own list). A requesting body must cite the legal article that asks for the certificate; the resident
brings ID, household register and evidence, states why and for what, and promises the facts are true. Matters within
another body's remit are refused, naming who issues them (民政部等六部门《关于改进和规范基层群众性自治组织出具证明
工作的指导意见》, 2020: 20 certificates communities no longer issue).
"""

import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

from linli.core.errors import FieldError


@dataclass(frozen=True)
class Matter:
    code: str
    name: str
    basis: str  # the law, regulation or rule that asks the community to certify this
    wording: str  # what the certificate says, after the person's name and community
    materials: str  # the evidence beside ID and household register


# The seed names the list but not its items; no public copy of it was found (docs/certificates.md). These are
# matters a residents' committee can know of its own knowledge, each with a basis that names the committee's part.
DEFAULT_MATTERS: tuple[Matter, ...] = (
    Matter("residence", "居住情况证明",
           "《居住证暂行条例》第九条：申领居住证应提交居住地住址等证明材料",
           "经核实，该居民实际居住在本社区", "房屋租赁合同或房屋产权证明"),
    Matter("subsistence", "最低生活保障申请家庭情况证明",
           "《社会救助暂行办法》第十一条：居民委员会可受委托代为提出申请，协助入户调查、民主评议",
           "经入户调查和民主评议，该居民家庭生活情况属实", "家庭收入、财产说明"),
    Matter("destitute", "特困人员供养申请情况证明",
           "《社会救助暂行办法》第十五条：特困人员供养由本人向户籍所在地街道办事处提出书面申请",
           "经核实，该居民无劳动能力、无生活来源，在本社区无法定赡养、抚养、扶养义务人照料", "收入说明"),
    Matter("temporary_aid", "临时救助申请情况证明",
           "《社会救助暂行办法》第四十八条：申请临时救助，居民委员会协助核实",
           "经核实，该居民家庭因突发事件导致基本生活暂时出现严重困难", "突发事件或意外伤害的有关材料"),
    Matter("medical_aid", "医疗救助申请家庭情况证明",
           "《社会救助暂行办法》第二十九条：申请医疗救助，经街道办事处审核",
           "经核实，该居民家庭经济困难、医疗费用负担较重的情况属实", "医疗费用票据"),
    Matter("housing_aid", "住房困难情况证明",
           "《社会救助暂行办法》第三十九条；《公共租赁住房管理办法》第七条",
           "经核实，该居民家庭在本社区住房困难的情况属实", "住房情况说明"),
    Matter("disaster", "受灾情况证明",
           "《自然灾害救助条例》第十四条、第十九条：居民委员会协助核实受灾人员和住房损毁情况",
           "经核实，该居民家庭住房及财产因自然灾害受损的情况属实", "受损现场照片"),
    Matter("student_aid", "家庭经济困难学生情况证明",
           "《学生资助资金管理办法》：家庭经济困难学生认定，由学生所在社区协助核实",
           "经核实，该居民家庭经济困难的情况属实", "学生证或录取通知书"),
    Matter("conscription", "应征公民现实表现情况证明",
           "《征兵政治考核工作规定》第十条：应征公民户籍所在地或经常居住地居民委员会提供现实表现情况",
           "经了解，该居民在本社区居住期间遵纪守法，现实表现良好", "应征登记表"),
    Matter("military_family", "义务兵家庭情况证明",
           "《军人抚恤优待条例》第三十三条：义务兵家庭优待金由户籍所在地人民政府发放",
           "经核实，该居民系本社区义务兵家庭", "入伍通知书"),
    Matter("voter", "选民登记情况证明",
           "《全国人民代表大会和地方各级人民代表大会选举法》第二十七条、第二十八条：选民登记按选区进行",
           "经核实，该居民已在本社区所在选区登记为选民", "—"),
    Matter("correction", "社区矫正对象日常表现情况证明",
           "《社区矫正法》第十二条：居民委员会依法协助社区矫正机构做好社区矫正工作",
           "经了解，该居民在本社区接受社区矫正期间的日常表现情况如下", "社区矫正机构的书面要求"),
    Matter("volunteering", "参加社区志愿服务情况证明",
           "《志愿服务条例》第十九条：志愿服务组织应当如实记录志愿服务情况并出具证明",
           "经核实，该居民参加本社区组织的志愿服务活动的情况属实", "志愿服务记录"),
    Matter("guardian", "指定监护人证明",
           "《中华人民共和国民法典》第三十一条：对监护人的确定有争议的，由被监护人住所地的居民委员会指定监护人",
           "经本居民委员会依法指定，该居民的监护人如下", "监护争议的有关材料"),
    Matter("mediation", "人民调解情况证明",
           "《中华人民共和国人民调解法》第八条、第二十八条：居民委员会设立人民调解委员会，调解达成协议的制作协议书",
           "经本社区人民调解委员会调解，该居民所涉纠纷的调解情况如下", "调解申请或调解协议书"),
)  # fmt: skip

MAX_MATTERS = 40


# Certificates communities no longer issue (民政部等六部门, 2020), with who issues them instead. Each row: the words
# that name the matter in a request, the matter, the body that issues it.
OUTSIDE: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("无犯罪", "犯罪记录", "违法犯罪"),
        gettext_lazy("无犯罪记录证明"),
        gettext_lazy("公安机关（户籍所在地或居住地派出所）"),
    ),
    (
        (
            "亲属关系",
            "亲属证明",
            "父子",
            "母子",
            "母女",
            "父女",
        ),
        gettext_lazy("亲属关系证明"),
        gettext_lazy("户口簿可证明的由户口簿证明，其他由公安机关或公证机构"),
    ),
    (
        ("身份信息", "身份证明"),
        gettext_lazy("居民身份信息证明"),
        gettext_lazy("公安机关（居民身份证、户口簿）"),
    ),
    (
        ("户口登记", "户口变更", "更正户口"),
        gettext_lazy("户口登记项目内容变更申请证明"),
        gettext_lazy("公安机关户籍部门"),
    ),
    (
        ("养犬", "犬只"),
        gettext_lazy("居民养犬证明"),
        gettext_lazy("公安机关或养犬管理部门"),
    ),
    (
        ("戒毒", "社区康复"),
        gettext_lazy("社区戒毒社区康复人员情况证明"),
        gettext_lazy("社区戒毒社区康复工作机构"),
    ),
    (("失踪",), gettext_lazy("人员失踪证明"), gettext_lazy("公安机关（报案回执）或人民法院（宣告失踪）")),
    (
        ("婚姻", "未婚", "离异", "单身"),
        gettext_lazy("婚姻状况证明"),
        gettext_lazy("民政部门婚姻登记机关（或本人书面承诺）"),
    ),
    (("出生",), gettext_lazy("出生证明"), gettext_lazy("助产医疗机构（出生医学证明）")),
    (
        ("健在", "活着", "生存"),
        gettext_lazy("健在证明"),
        gettext_lazy("社会保险经办机构（待遇领取资格认证）"),
    ),
    (
        ("死亡", "去世", "病故"),
        gettext_lazy("死亡证明"),
        gettext_lazy("医疗机构或公安机关"),
    ),
    (
        ("疾病", "病情", "患病"),
        gettext_lazy("疾病状况证明"),
        gettext_lazy("医疗机构"),
    ),
    (("残疾",), gettext_lazy("残疾状况证明"), gettext_lazy("残疾人联合会（残疾人证）")),
    (
        ("婚育", "生育", "计划生育", "独生子女"),
        gettext_lazy("婚育状况证明"),
        gettext_lazy("卫生健康部门（或本人书面承诺）"),
    ),
    (
        (
            "就业",
            "失业",
            "无业",
            "无工作",
            "收入证明",
        ),
        gettext_lazy("居民就业状况证明"),
        gettext_lazy("人力资源社会保障部门（就业失业登记）"),
    ),
    (("档案",), gettext_lazy("居民个人档案证明"), gettext_lazy("档案保管单位")),
    (
        ("财产", "存款", "房产"),
        gettext_lazy("居民财产证明"),
        gettext_lazy("不动产登记机构、金融机构"),
    ),
    (("继承", "遗产"), gettext_lazy("遗产继承权证明"), gettext_lazy("公证机构或人民法院")),
    (
        ("住所", "经营场所", "营业执照", "注册地址"),
        gettext_lazy("市场主体住所证明"),
        gettext_lazy("市场监督管理部门（住所申报承诺制）"),
    ),
    (
        ("遗失", "丢失", "丢了"),
        gettext_lazy("证件遗失证明"),
        gettext_lazy("原发证机关（遗失声明）"),
    ),
)

NOT_LISTED = gettext_lazy("该事项不在《社区居委会日常出具证明事项》清单内，社区居委会不能出具")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def outside_answer(asked: str) -> str:
    """Why a request outside the list is refused, naming who issues the matter when it is another body's."""
    text = _plain(asked)
    for words, matter, issuer in OUTSIDE:
        if any(w in text for w in words):
            return gettext("%(matter)s属于其他单位职责，社区居委会不出具，请向%(issuer)s申请") % {
                "matter": matter,
                "issuer": issuer,
            }
    return NOT_LISTED + gettext("。如确需证明，请请求出具证明的单位说明所依据的法律法规条款，或向其主管部门咨询")


# ---- applications
SUBMITTED, ISSUED, REFUSED, WITHDRAWN = "submitted", "issued", "refused", "withdrawn"
STATES = {
    SUBMITTED: gettext_lazy("待审核"),
    ISSUED: gettext_lazy("已出具"),
    REFUSED: gettext_lazy("不予出具"),
    WITHDRAWN: gettext_lazy("已撤回"),
}
WINDOW, PORTAL = "window", "portal"
VIA = {WINDOW: gettext_lazy("窗口代办"), PORTAL: gettext_lazy("居民端申请")}
ISSUE, REFUSE, WITHDRAW = "issue", "refuse", "withdraw"
TRANSITIONS = {ISSUE: ({SUBMITTED}, ISSUED), REFUSE: ({SUBMITTED}, REFUSED), WITHDRAW: ({SUBMITTED}, WITHDRAWN)}

ID_CARD, HUKOU, SUPPORT = "id_card", "hukou", "support"
EVIDENCE = {ID_CARD: gettext_lazy("身份证"), HUKOU: gettext_lazy("户口本"), SUPPORT: gettext_lazy("佐证材料")}
MAX_FILES = 8  # of each kind

PROMISE = gettext_lazy("本人承诺所提供的信息和材料真实、准确、完整，如有虚假，愿承担相应法律责任。")


def next_state(state: str, action: str) -> str | None:
    """The state after `action`, or None when the action is not open in `state`."""
    sources, target = TRANSITIONS[action]
    return target if state in sources else None


def application_errors(
    *, requester: str, article: str, purpose: str, reason: str, promised: bool, evidence_kinds: Sequence[str]
) -> list[FieldError]:
    """What an application for a listed matter must carry (004 篇十八)."""
    errors = []
    if not requester.strip():
        errors.append(FieldError("requester", gettext("请填写要求出具证明的单位")))
    if not article.strip():
        errors.append(FieldError("article", gettext("请填写该单位所依据的法律、法规、规章的具体条款")))
    if not purpose.strip():
        errors.append(FieldError("purpose", gettext("请说明证明的用途")))
    if not reason.strip():
        errors.append(FieldError("reason", gettext("请说明申请出具证明的原因")))
    if ID_CARD not in evidence_kinds:
        errors.append(FieldError("id_card", gettext("请上传本人身份证")))
    if HUKOU not in evidence_kinds:
        errors.append(FieldError("hukou", gettext("请上传户口本（本人页）")))
    if not promised:
        errors.append(FieldError("promised", gettext("请阅读并勾选真实性承诺")))
    return errors


# ---- serials and verification codes
def serial(community_code: str, year: int, seq: int) -> str:
    """证明编号: <community code>-<year>-<n>, e.g. 210103001002-2026-0042 (the community's count that year)."""
    return f"{community_code}-{year}-{seq:04d}"


def serial_prefix(community_code: str, year: int) -> str:
    return f"{community_code}-{year}-"


def next_seq(serials: Sequence[str]) -> int:
    """The next count after the serials already issued by a community in a year."""
    return max((int(s.rsplit("-", 1)[1]) for s in serials), default=0) + 1


# Crockford's base 32: no I, L, O, U. 12 characters are 60 bits: not guessable, and a wrong guess is counted.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """A code as typed (lower case, spaces, dashes, full-width, O for 0, I/L for 1) in its stored form, or None."""
    code = "".join(ch for ch in _plain(text).upper() if ch not in " -_").translate(LOOK_ALIKES)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def shown_code(code: str) -> str:
    """ABCD2345EFGH → ABCD-2345-EFGH, as printed."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


VALID, REVOKED, UNKNOWN = "valid", "revoked", "unknown"
VERDICTS = {VALID: gettext_lazy("证明有效"), REVOKED: gettext_lazy("证明已作废"), UNKNOWN: gettext_lazy("查无此证明")}
FAILURES_PER_HOUR = 20  # wrong codes from one address before every lookup from it is refused for the hour


def verdict(found: bool, revoked: bool) -> str:
    if not found:
        return UNKNOWN
    return REVOKED if revoked else VALID
