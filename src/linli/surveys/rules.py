"""The words of surveys and censuses (调查与普查): kinds, states and the roles a form plays in a survey."""

CENSUS = "census"  # 人口普查: households of a place at a standard moment
UNITS = "units"  # 单位调查: organisations of given kinds, e.g. the occupational-health survey of hazard enterprises
KINDS = {CENSUS: "人口普查", UNITS: "单位调查"}

DRAFT = "draft"  # 筹备: forms, areas and enumerators are set up; the frame is not frozen yet
RUNNING = "running"  # 调查中: the frame is frozen, enumerators enter forms
FINISHED = "finished"  # 已结束: entry is closed; results and re-checks are final
STATES = {DRAFT: "筹备中", RUNNING: "调查中", FINISHED: "已结束"}

# The role a form plays in a survey: each unit of the frame fills in its main form (short or long for a census
# household, the unit form for an organisation); a census household with a death in the reference year also fills
# in the death form; a re-check fills in the quality-control record beside the form it checks.
SHORT = "short"
LONG = "long"
DEATH = "death"
UNIT = "unit"
RECHECK = "recheck"
FORM_ROLES = {SHORT: "普查表短表", LONG: "普查表长表", DEATH: "死亡人口调查表", UNIT: "用人单位调查表",
              RECHECK: "质量控制检查结果抽查记录表"}  # fmt: skip

# 入户状态 of a unit of the frame, as the enumerator records it.
NOT_VISITED = "not_visited"
VISITED = "visited"
REFUSED = "refused"
EMPTY = "empty"
DONE = "done"
UNIT_STATES = {NOT_VISITED: "未访", VISITED: "已访", REFUSED: "拒访", EMPTY: "空户", DONE: "完成"}

# What a random draw picks: households for the long form, returned forms for the on-site re-check.
DRAW_LONG_FORM = "long_form"
DRAW_RECHECK = "recheck"
DRAW_PURPOSES = {DRAW_LONG_FORM: "长表户抽选", DRAW_RECHECK: "复核抽查"}
