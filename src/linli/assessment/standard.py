"""The two standard index systems the seeder installs (services.standard_schemes_install).

- 和谐社区星级评定 (001 篇5): ten aspects, each scored out of ten (评分制); ≥9 earns a star.
- 文明城市重点点位测评 (社区/小区), modelled on the key-point standards of 003 篇3: six 一级指标 worth 100 points,
  mostly 扣分制 (发现一处扣1分, never below zero per item), a few 达标制 items and one 评分制 survey item.
"""

from django.utils.translation import gettext as _

from . import rules

STAR_KEY = "star_001_5"
KEYPOINT_KEY = "keypoint_003_3"

STAR_CONTENT = {
    "创建理念": "社区党组织坚强有力，创建目标明确，创建计划和方案齐全，居民知晓并参与创建活动",
    "办公设施": "办公和服务用房面积达标，电脑、档案柜等设施设备齐全，标识标牌规范",
    "班子团结": "社区两委班子团结协作、分工明确、作风民主，居民评议满意",
    "居民自治": "居民会议、议事协商制度健全，居务公开，民主选举、决策、管理、监督落实到位",
    "民间组织": "社区社会组织和志愿者队伍健全，有章程、有负责人、活动经常",
    "社区服务": "就业、社保、救助、养老、助残等服务项目齐全，实行一站式服务",
    "实事工程": "年度为居民办实事项目落实，道路、照明、绿化等设施改善，居民满意",
    "主题活动": "文体、科普、法治宣传等主题活动每月开展，居民参与面广",
    "文明祥和": "邻里和睦，无重大刑事案件和群体性事件，无邪教、黄赌毒现象",
    "管理良好": "环境整洁，治安良好，物业管理规范，台账资料齐全、按月报送",
}


def star_scheme() -> dict:
    return {
        "key": STAR_KEY,
        "name": _("和谐社区星级评定"),
        "description": (
            _(
                "创建工作采取“星级评定”的办法：十个方面按照十分制考核，每个方面达到9分以上（含9分）获得“一星”，"
                "十个方面都在9分以上的为“十星级和谐社区”，获得“七星”以上为“达标社区”。每年评选一次，"
                "由社区自荐（自评）、街道审查（初审）、区级复核并组织检查验收（认定）。"
            )
        ),
        "rating": rules.STARS,
        "grades": [],
        "indicators": [
            {
                "name": aspect,
                "items": [
                    {
                        "content": STAR_CONTENT[aspect],
                        "standard": _("按十分制评分，9分以上（含9分）得一星"),
                        "max_points": "10",
                        "method": rules.SCALE,
                    }
                ],
            }
            for aspect in rules.STAR_ASPECTS
        ],
    }


def _deduct(content: str, points: int, standard: str = "发现一处扣1分，扣完为止") -> dict:
    return {"content": content, "standard": standard, "max_points": str(points), "method": rules.DEDUCTION}


def _pass(content: str, points: int, standard: str = "达标得满分，不达标不得分") -> dict:
    return {"content": content, "standard": standard, "max_points": str(points), "method": rules.PASSFAIL}


def keypoint_scheme() -> dict:
    return {
        "key": KEYPOINT_KEY,
        "name": _("文明城市重点点位测评标准（社区/小区）"),
        "description": (
            _(
                "对照文明城市测评体系重点点位标准，对社区和小区逐项实地查看。扣分项发现一处扣相应分值，"
                "每项扣完为止；达标项达标得满分、不达标不得分。满分100分：90分以上为优秀，80分以上为良好，"
                "60分以上为合格。两次以上整改不力的，按规定追究责任。"
            )
        ),
        "rating": rules.TOTAL,
        "grades": [[_("优秀"), 90], [_("良好"), 80], [_("合格"), 60]],
        "indicators": [
            {
                "name": _("环境卫生"),
                "children": [
                    {
                        "name": _("公共区域卫生"),
                        "items": [
                            _deduct(_("小区道路、楼道、绿地无垃圾、无积存杂物，生活垃圾日产日清"), 8),
                            _deduct(_("无卫生死角，沟渠无积水，无蚊蝇孳生"), 5),
                        ],
                    },
                    {
                        "name": _("市容秩序"),
                        "items": [
                            _deduct(_("墙面、电线杆、楼道无乱贴乱画和小广告，无乱搭乱建"), 6),
                            _deduct(_("垃圾分类设施齐全完好，无满冒外溢"), 6),
                        ],
                    },
                ],
            },
            {
                "name": _("公益广告"),
                "items": [
                    _deduct(
                        _("小区出入口、主要道路等显著位置设置社会主义核心价值观和“讲文明树新风”公益广告不少于10处"),
                        8,
                        _("每少一处扣1分，扣完为止"),
                    ),
                    _deduct(_("公益广告画面整洁，无破损、褪色、遮挡"), 7),
                ],
            },
            {
                "name": _("文明交通与停车"),
                "items": [
                    _deduct(_("机动车停放有序，无占用消防通道、盲道、绿地停车"), 8),
                    _deduct(_("非机动车规范停放，无楼道内停放和飞线充电"), 7),
                ],
            },
            {
                "name": _("志愿服务站"),
                "items": [
                    _pass(_("设有社区志愿服务站，有标识、有场地、有人员、有制度、有活动记录"), 5),
                    _deduct(_("志愿服务活动每月不少于2次，有图文记录"), 5, _("每少一次扣1分，扣完为止")),
                    _pass(_("注册志愿者人数达到社区常住人口的13%以上"), 5),
                ],
            },
            {
                "name": _("道德讲堂与宣传栏"),
                "items": [
                    _pass(_("建有道德讲堂，每季度至少开讲一次，有记录"), 5),
                    _deduct(
                        _("宣传栏（橱窗）内容定期更新，宣传创建知识和身边好人"), 5, _("发现一处过期内容扣1分，扣完为止")
                    ),
                    _pass(_("评选表彰身边好人、道德模范并张榜公布"), 5),
                ],
            },
            {
                "name": _("便民服务"),
                "items": [
                    _deduct(_("社区综合服务站设施完好，服务项目和办事流程公开上墙"), 5),
                    _deduct(_("工作人员文明用语、热情服务，办事无推诿"), 5, _("发现一次扣1分，扣完为止")),
                    {
                        "content": _("随机访问居民，群众对创建工作的知晓率和支持率"),
                        "standard": _("按访问结果评分：知晓率和支持率均达90%得满分，每低5个百分点减1分"),
                        "max_points": "5",
                        "method": rules.SCALE,
                    },
                ],
            },
        ],
    }
