"""The standard honour types and their 摘牌 rules, installed by services.honour_types_install.

(code, name, level, validity in months, criteria, [(rule kind, [case category codes])]). Category codes are those
of cases.catalogue; a major category (two digits) watches all its minor ones. 001 篇7 for 无疫小区: a new
confirmed case (疫情防控) or a verified complaint, and problems not rectified, take the plate down.
"""

from . import rules

V, N, R = rules.VERIFIED_COMPLAINT, rules.NEW_INCIDENT, rules.RECTIFICATION_OVERDUE

HONOUR_TYPES = [
    ("no-epidemic", "无疫小区", rules.ESTATE, 12,
     "14天以上无新发确诊病例、无症状感染者和密接者；防控措施落实到位（001 篇7）。",
     [(N, ["0905"]), (V, ["0905", "0201", "0203"]), (R, [])]),
    ("civilised", "文明社区", rules.COMMUNITY, 24,
     "市容整洁、环境卫生、邻里和谐，创建工作各项测评达标。",
     [(V, ["0102", "0106", "0202", "0604"]), (R, [])]),
    ("no-pyramid", "无传销社区", rules.COMMUNITY, 12,
     "辖区内无传销窝点、无传销人员聚集，宣传防范到位。",
     [(N, ["0803"])]),
    ("safe-estate", "平安小区", rules.ESTATE, 12,
     "治安防控体系健全，消防通道畅通，全年无重大治安和消防事故。",
     [(N, ["0801"]), (V, ["0802", "0805"]), (R, [])]),
]  # fmt: skip
