"""The standard catalogue of case categories and handling departments, installed by services.catalogue_install.

Limits follow the hotline practice of the seeds: urgent safety matters answered within hours, the classic
"7个工作日内反馈" (000 篇2) for ordinary complaints, longer for works that need planning.
Each minor category: (code, name, department, priority, response hours, handling limit, unit, on-site check).
"""

DEPARTMENTS = [
    "区城市管理综合执法局",
    "区住房和城乡建设局",
    "区市场监督管理局",
    "公安分局",
    "区环境卫生服务中心",
    "市水务集团",
    "市供热公司",
    "国网供电公司",
    "区生态环境分局",
    "区交通运输局",
    "区卫生健康局",
    "区民政局",
    "区人力资源和社会保障局",
    "区应急管理局",
    "区园林绿化中心",
]

URGENT, HIGH, NORMAL = 1, 2, 3
H, D = "hours", "days"

CATEGORIES = [
    ("01", "市容环境", [
        ("0101", "占道经营", "区城市管理综合执法局", HIGH, 2, 3, D, True),
        ("0102", "乱堆乱放", "区城市管理综合执法局", NORMAL, 4, 5, D, True),
        ("0103", "违规广告牌匾", "区城市管理综合执法局", NORMAL, 4, 7, D, True),
        ("0104", "私搭乱建", "区城市管理综合执法局", NORMAL, 4, 10, D, True),
        ("0105", "露天烧烤", "区城市管理综合执法局", HIGH, 2, 2, D, True),
        ("0106", "乱贴乱画", "区城市管理综合执法局", NORMAL, 4, 5, D, True),
    ]),
    ("02", "环境卫生", [
        ("0201", "垃圾清运不及时", "区环境卫生服务中心", HIGH, 2, 1, D, True),
        ("0202", "道路清扫保洁", "区环境卫生服务中心", NORMAL, 4, 2, D, True),
        ("0203", "公厕管理", "区环境卫生服务中心", NORMAL, 4, 3, D, True),
        ("0204", "垃圾分类", "区环境卫生服务中心", NORMAL, 4, 7, D, False),
        ("0205", "积雪清除", "区环境卫生服务中心", URGENT, 1, 8, H, True),
    ]),
    ("03", "物业管理", [
        ("0301", "电梯故障", "区住房和城乡建设局", URGENT, 1, 24, H, True),
        ("0302", "楼道卫生", "区住房和城乡建设局", NORMAL, 4, 3, D, True),
        ("0303", "小区停车", "区住房和城乡建设局", NORMAL, 4, 7, D, False),
        ("0304", "物业服务收费", "区住房和城乡建设局", NORMAL, 8, 7, D, False),
        ("0305", "公共设施维修", "区住房和城乡建设局", NORMAL, 4, 7, D, True),
        ("0306", "房屋漏水", "区住房和城乡建设局", HIGH, 2, 5, D, True),
        ("0307", "弃管楼院", "区住房和城乡建设局", NORMAL, 8, 15, D, True),
    ]),
    ("04", "市政设施", [
        ("0401", "路灯不亮", "区城市管理综合执法局", NORMAL, 4, 3, D, True),
        ("0402", "道路破损", "区交通运输局", HIGH, 4, 7, D, True),
        ("0403", "井盖缺失", "区城市管理综合执法局", URGENT, 1, 4, H, True),
        ("0404", "下水道堵塞", "市水务集团", HIGH, 2, 2, D, True),
        ("0405", "绿化损毁", "区园林绿化中心", NORMAL, 4, 7, D, True),
        ("0406", "树木倒伏", "区园林绿化中心", URGENT, 1, 8, H, True),
    ]),
    ("05", "公用事业", [
        ("0501", "停水", "市水务集团", URGENT, 1, 12, H, False),
        ("0502", "水质问题", "市水务集团", HIGH, 2, 3, D, True),
        ("0503", "供暖不热", "市供热公司", HIGH, 2, 2, D, True),
        ("0504", "停电", "国网供电公司", URGENT, 1, 8, H, False),
        ("0505", "燃气异味", "区应急管理局", URGENT, 0.5, 4, H, True),
    ]),
    ("06", "生态环境", [
        ("0601", "噪声扰民", "区生态环境分局", NORMAL, 4, 5, D, False),
        ("0602", "油烟污染", "区生态环境分局", NORMAL, 4, 7, D, True),
        ("0603", "污水排放", "区生态环境分局", HIGH, 2, 5, D, True),
        ("0604", "焚烧垃圾", "区生态环境分局", HIGH, 2, 2, D, True),
    ]),
    ("07", "市场秩序", [
        ("0701", "食品安全", "区市场监督管理局", HIGH, 2, 5, D, True),
        ("0702", "价格投诉", "区市场监督管理局", NORMAL, 8, 7, D, False),
        ("0703", "无证经营", "区市场监督管理局", NORMAL, 4, 7, D, True),
        ("0704", "消费纠纷", "区市场监督管理局", NORMAL, 8, 7, D, False),
    ]),
    ("08", "社会治安", [
        ("0801", "治安隐患", "公安分局", HIGH, 2, 3, D, True),
        ("0802", "消防通道堵塞", "区应急管理局", HIGH, 2, 2, D, True),
        ("0803", "传销线索", "公安分局", HIGH, 4, 7, D, False),
        ("0804", "邻里纠纷", None, NORMAL, 4, 7, D, False),
        ("0805", "群租房", "公安分局", NORMAL, 4, 7, D, True),
    ]),
    ("09", "民生服务", [
        ("0901", "低保救助咨询", "区民政局", NORMAL, 8, 7, D, False),
        ("0902", "养老服务", "区民政局", NORMAL, 8, 7, D, False),
        ("0903", "就业社保", "区人力资源和社会保障局", NORMAL, 8, 7, D, False),
        ("0904", "医疗卫生", "区卫生健康局", NORMAL, 8, 7, D, False),
        ("0905", "疫情防控", "区卫生健康局", URGENT, 1, 24, H, True),
    ]),
]  # fmt: skip
