"""Pure rules of campaign work (工作方案): plan states, targets and comparators, reporting periods and lateness,
completion roll-up. No ORM: services feed facts in and store what comes out."""

# ---------------------------------------------------------------- plans

DRAFT = "draft"
ISSUED = "issued"
FINISHED = "finished"
PLAN_STATUS_LABELS = {DRAFT: "草拟中", ISSUED: "已印发", FINISHED: "已结束"}

MONTHLY = "monthly"
QUARTERLY = "quarterly"
CYCLE_LABELS = {MONTHLY: "每月底报送", QUARTERLY: "每季度末报送"}

# ---------------------------------------------------------------- targets

COMPARATORS = (">=", ">", "=", "<=", "<")
REPORTED = "reported"
# Indicators the system measures from its own data; anything else is reported by the office.
MEASURE_LABELS = {
    REPORTED: "单位填报",
    "property_rate": "物业化率(房屋登记)",
    "rectification_rate": "整改率(整改事件)",
    "rectification_on_time": "整改及时率(整改事件)",
    "case_close_rate": "结案率(事件)",
    "case_on_time_rate": "按期处置率(事件)",
    "case_satisfaction": "满意率(事件回访)",
}

# ---------------------------------------------------------------- leading group, units, notices

DUTY_LABELS = {"leader": "组长", "deputy": "副组长", "member": "成员", "office": "办公室主任"}
LEAD = "lead"
RESPONSIBLE = "responsible"
UNIT_ROLE_LABELS = {LEAD: "牵头单位", RESPONSIBLE: "责任单位"}
NOTICE_LABELS = {"supervise": "督办", "circular": "通报"}
