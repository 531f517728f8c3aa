"""Who may do what: the roles, a user's effective role, and every domain's capability table.

This is the only module that names roles. Services, selectors, views, the API and templates ask here
(`can(user, CASES, DISPATCHER)`, `is_admin(user)`, `has_role(user, Role.COMMUNITY_WORKER)`), so a page and its
API answer the same question the same way. Where a user may act (their region subtree) is the scope module's
business (`accounts/scope.py`); what they may do there is decided here.

Pure: no database access (`admin_q` only builds a filter). Pure domain rules (`*/rules.py`) take a role and look
it up in these tables.
"""

from django.db.models import Q
from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    ADMIN = "admin", _("系统管理员")
    DISTRICT_STAFF = "district_staff", _("区级工作人员")
    STREET_STAFF = "street_staff", _("街道工作人员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPT_HANDLER = "dept_handler", _("部门处置人员")
    COMPANY_STAFF = "company_staff", _("物业企业人员")
    RESIDENT = "resident", _("居民")


# Roles whose scope is a region subtree, and so may read the people registry of that subtree.
REGION_ROLES = frozenset({Role.ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF, Role.COMMUNITY_WORKER, Role.GRID_WORKER})
# Staff of a department or a property company: they see the work sent to their organisation, no registry.
ORG_ROLES = frozenset({Role.DEPT_HANDLER, Role.COMPANY_STAFF})
# Everyone who works in the offices' pages and API; residents use the portal (居民端) only.
STAFF_ROLES = frozenset(Role) - {Role.RESIDENT}
# Those who work from a to-do list of what was sent to them or found in their place.
TODO_ROLES = frozenset({Role.DEPT_HANDLER, Role.COMPANY_STAFF, Role.COMMUNITY_WORKER, Role.GRID_WORKER})


def effective_role(user) -> Role | None:
    """The role a user acts in; a superuser is the administrator; None for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        return Role(user.role)
    except ValueError:
        return None


def is_admin(user) -> bool:
    return effective_role(user) == Role.ADMIN


def admin_q() -> Q:
    """The users who act as the administrator (is_admin), as a filter on User: superusers and the admin role.
    Whether they are active is the caller's filter."""
    return Q(is_superuser=True) | Q(role=Role.ADMIN)


def is_resident(user) -> bool:
    return effective_role(user) == Role.RESIDENT


def is_staff_member(user) -> bool:
    return effective_role(user) in STAFF_ROLES


def has_role(user, *roles: Role) -> bool:
    return effective_role(user) in roles


def in_group(user, group: frozenset) -> bool:
    return effective_role(user) in group


def capabilities(user, table: dict) -> frozenset[str]:
    """What the user's role may do in one domain's table (before scope: the caller checks where)."""
    return frozenset(table.get(effective_role(user), ()))


def can(user, table: dict, capability: str) -> bool:
    return capability in table.get(effective_role(user), ())


# ---------------------------------------------------------------- registry (regions, people, organisations)

EDIT_REGISTRY = "edit_registry"  # persons, households, houses of the user's subtree
EDIT_REGIONS = "edit_regions"  # region nodes and grid staff below the user's node
EDIT_ROOT_REGIONS = "edit_root_regions"  # the whole tree from its top: new districts (no parent), any node
EDIT_ORGANIZATIONS = "edit_organizations"  # departments and property companies
IMPORT_REGISTRY = "import_registry"  # Excel imports of persons and households
EDIT_CALENDAR = "edit_calendar"  # working-day overrides (调休)

REGISTRY = {
    Role.ADMIN: {EDIT_REGISTRY, EDIT_REGIONS, EDIT_ROOT_REGIONS, EDIT_ORGANIZATIONS, IMPORT_REGISTRY, EDIT_CALENDAR},
    Role.DISTRICT_STAFF: {EDIT_REGISTRY, IMPORT_REGISTRY, EDIT_REGIONS, EDIT_ORGANIZATIONS},
    Role.STREET_STAFF: {EDIT_REGISTRY, IMPORT_REGISTRY, EDIT_REGIONS, EDIT_ORGANIZATIONS},
    Role.COMMUNITY_WORKER: {EDIT_REGISTRY, IMPORT_REGISTRY},
    Role.GRID_WORKER: {EDIT_REGISTRY, IMPORT_REGISTRY},
}

# ---------------------------------------------------------------- cases (事件)

DISPATCHER = "dispatcher"  # 调度: street/district staff in whose region the case lies
SUPERVISOR = "supervisor"  # 督办
INTAKE = "intake"  # anyone keeping the region's front desk or patrolling it
ON_SITE = "on_site"  # grid and community workers of the case's place: 现场核查
VIEW_INDICATORS = "view_indicators"  # 考核指标: the region offices that assess departments and places
PATROL = "patrol"  # the phone page of a grid worker's patrol (手机巡查)
ISSUE_BULLETINS = "issue_bulletins"  # the monthly 通报 of a region and its 计分办法: district and street offices

# What a user of each role may do on a case inside their scope (departments: on cases sent to them, as the
# lead or an assisting department, which `cases.rules.capabilities` adds per case).
CASES = {
    Role.ADMIN: {DISPATCHER, SUPERVISOR, INTAKE, VIEW_INDICATORS, ISSUE_BULLETINS},
    Role.DISTRICT_STAFF: {DISPATCHER, SUPERVISOR, INTAKE, VIEW_INDICATORS, ISSUE_BULLETINS},
    Role.STREET_STAFF: {DISPATCHER, SUPERVISOR, INTAKE, VIEW_INDICATORS, ISSUE_BULLETINS},
    Role.COMMUNITY_WORKER: {INTAKE, ON_SITE, VIEW_INDICATORS},
    Role.GRID_WORKER: {INTAKE, ON_SITE, PATROL},
    Role.DEPT_HANDLER: set(),
    Role.COMPANY_STAFF: set(),
}

# 督办 level a supervisor's role reaches: a street's supervision is level 1, the district's (挂牌督办) level 2.
SUPERVISION_LEVEL = {Role.STREET_STAFF: 1, Role.DISTRICT_STAFF: 2, Role.ADMIN: 2}

# ---------------------------------------------------------------- campaigns (创建工作)

EDIT_PLANS = "edit_plans"  # draw up, issue and decompose plans of the user's region or below; 督办/通报 units
REGISTER_FINDINGS = "register_findings"  # 整改 findings (登记造册)

CAMPAIGNS = {
    Role.ADMIN: {EDIT_PLANS, REGISTER_FINDINGS},
    Role.DISTRICT_STAFF: {EDIT_PLANS, REGISTER_FINDINGS},
    Role.STREET_STAFF: {EDIT_PLANS, REGISTER_FINDINGS},
    Role.COMMUNITY_WORKER: {REGISTER_FINDINGS},
}

# ---------------------------------------------------------------- assessment (测评)

ORGANISE = "organise"  # index systems and rounds for the user's region (制定指标体系, 组织测评)
SELF_SCORE_COMMUNITY = "self_score_community"  # 自评 of a community unit, by its own worker
SELF_SCORE_STREET = "self_score_street"  # 自评 of a street unit, by its own office
FIRST_REVIEW_COMMUNITY = "first_review_community"  # 初审 of a community, by its street
REVIEW = "review"  # 初审 of a street, 复核, 认定

# Everyone with a region scope reads assessment (REGION_ROLES); departments and companies take no part.
ASSESSMENT = {
    Role.ADMIN: {ORGANISE, REVIEW},
    Role.DISTRICT_STAFF: {ORGANISE, REVIEW},
    Role.STREET_STAFF: {ORGANISE, SELF_SCORE_STREET, FIRST_REVIEW_COMMUNITY},
    Role.COMMUNITY_WORKER: {SELF_SCORE_COMMUNITY},
}

# ---------------------------------------------------------------- honours (挂牌)

APPLICANT = "applicant"  # the community worker of the unit, or the estate's property company
REVIEWER = "reviewer"  # 初审: the street
DECIDER = "decider"  # 认定 and manual 摘牌: the district
APPLY_FOR_COMMUNITY = "apply_for_community"  # community-level honours are applied for by the community itself
APPLY_FOR_ESTATE_OF_COMPANY = "apply_for_estate_of_company"  # a company applies for the estates it manages

HONOURS = {
    Role.ADMIN: {REVIEWER, DECIDER},
    Role.DISTRICT_STAFF: {DECIDER},
    Role.STREET_STAFF: {REVIEWER},
    Role.COMMUNITY_WORKER: {APPLICANT, APPLY_FOR_COMMUNITY},
    Role.COMPANY_STAFF: {APPLICANT, APPLY_FOR_ESTATE_OF_COMPANY},
}

# ---------------------------------------------------------------- residents (实名认证与更正)

REVIEW_RESIDENTS = "review_residents"  # confirm or refuse residents' bindings and corrections of the office's people
VIEW_RESIDENT_REVIEWS = "view_resident_reviews"  # read the queue of the subtree (those above follow the communities)

# The community of the person decides: it knows its residents and keeps their records. Streets, the district and
# the administrator see the queues below them, to follow how they are kept, and decide nothing.
RESIDENTS = {
    Role.ADMIN: {VIEW_RESIDENT_REVIEWS},
    Role.DISTRICT_STAFF: {VIEW_RESIDENT_REVIEWS},
    Role.STREET_STAFF: {VIEW_RESIDENT_REVIEWS},
    Role.COMMUNITY_WORKER: {VIEW_RESIDENT_REVIEWS, REVIEW_RESIDENTS},
}

# ---------------------------------------------------------------- community notices (社区公告)

PUBLISH_NOTICES = "publish_notices"  # notices to a community, grid, estate or building of the user's scope

# A community office publishes for its own residents, a street or the district for one of their communities. Grid
# workers pass notices on in person and do not publish in the community's name.
NOTICES = {
    Role.ADMIN: {PUBLISH_NOTICES},
    Role.DISTRICT_STAFF: {PUBLISH_NOTICES},
    Role.STREET_STAFF: {PUBLISH_NOTICES},
    Role.COMMUNITY_WORKER: {PUBLISH_NOTICES},
}

# ---------------------------------------------------------------- property supervision (物业监管)

READ_COMPANIES = "read_companies"  # the companies serving the user's region: profiles, projects, credit files
MANAGE_COMPANIES = "manage_companies"  # profiles, project managers, projects and estates' 物业化 status
RECORD_CREDIT = "record_credit"  # record and void 诚信档案 records
OWN_COMPANY_FILE = "own_company_file"  # a company's staff read their own company's file, nothing else

# The district's housing authority (房产行政主管部门) keeps the files; streets and communities read them to follow
# the estates they serve. Grid workers and departments have no business there.
PROPERTY = {
    Role.ADMIN: {READ_COMPANIES, MANAGE_COMPANIES, RECORD_CREDIT},
    Role.DISTRICT_STAFF: {READ_COMPANIES, MANAGE_COMPANIES, RECORD_CREDIT},
    Role.STREET_STAFF: {READ_COMPANIES},
    Role.COMMUNITY_WORKER: {READ_COMPANIES},
    Role.COMPANY_STAFF: {OWN_COMPANY_FILE},
}

# ---------------------------------------------------------------- owners' committees and 红色物业 (业委会)

VIEW_COMMITTEES = "view_committees"  # committees, Party organisations, cross-office holdings and estate pages
EDIT_COMMITTEES = "edit_committees"  # record them: the community that guides the estate's owners

# The community guides the owners' election and keeps the record (seed 004 篇六); the street (where committees file)
# and the district follow. Grid workers, departments and companies keep no such record.
COMMITTEES = {
    Role.ADMIN: {VIEW_COMMITTEES},
    Role.DISTRICT_STAFF: {VIEW_COMMITTEES},
    Role.STREET_STAFF: {VIEW_COMMITTEES},
    Role.COMMUNITY_WORKER: {VIEW_COMMITTEES, EDIT_COMMITTEES},
}

# ---------------------------------------------------------------- owners' assembly votes (业主大会表决)

VIEW_VOTES = "view_votes"  # the votes of estates in the user's scope, their progress and results
RUN_VOTES = "run_votes"  # set up, open, close and publish a vote; enter paper and proxy ballots; estates' clauses

# The community office organises the vote with the owners' assembly; the street and the district oversee it.
VOTES = {
    Role.ADMIN: {VIEW_VOTES, RUN_VOTES},
    Role.DISTRICT_STAFF: {VIEW_VOTES},
    Role.STREET_STAFF: {VIEW_VOTES},
    Role.COMMUNITY_WORKER: {VIEW_VOTES, RUN_VOTES},
}

# ---------------------------------------------------------------- community consultation (议事协商)

RUN_CONSULTATION = "run_consultation"  # accept or decline proposals, moderate, set up, close and publish polls

# The community office runs its residents' consultation; a street or the district may for one of their communities,
# as with notices. Grid workers take part in a discussion as residents do not: they pass proposals on to the office.
CONSULTATION = {
    Role.ADMIN: {RUN_CONSULTATION},
    Role.DISTRICT_STAFF: {RUN_CONSULTATION},
    Role.STREET_STAFF: {RUN_CONSULTATION},
    Role.COMMUNITY_WORKER: {RUN_CONSULTATION},
}

# ---------------------------------------------------------------- surveys and censuses (调查与普查)
RUN_SURVEYS = "run_surveys"  # surveys of the user's region: forms, frames, areas and enumerators, draws, coverage
VIEW_SURVEYS = "view_surveys"  # progress and results of the surveys of the user's scope
ENUMERATE = "enumerate"  # may be assigned to areas as 普查员/普查指导员, and then enters the forms of those areas only
RECHECK = "recheck"  # the on-site re-check of drawn forms (质量控制) of the surveys of the user's scope

# A census is run by the street's census office (街道普查办公室) under the district's; the community's census
# group (居委会普查小组) follows its areas and re-checks; grid workers and community workers are its enumerators.
SURVEYS = {
    Role.ADMIN: {RUN_SURVEYS, VIEW_SURVEYS, RECHECK},
    Role.DISTRICT_STAFF: {RUN_SURVEYS, VIEW_SURVEYS, RECHECK},
    Role.STREET_STAFF: {RUN_SURVEYS, VIEW_SURVEYS, ENUMERATE, RECHECK},
    Role.COMMUNITY_WORKER: {VIEW_SURVEYS, ENUMERATE, RECHECK},
    Role.GRID_WORKER: {ENUMERATE},
}

# ---------------------------------------------------------------- volunteers (志愿服务)
MANAGE_VOLUNTEERS = "manage_volunteers"  # register volunteers, keep teams, issue and revoke hour certificates
ORGANISE_ACTIVITIES = "organise_activities"  # set up activities of the user's region and organise them
VIEW_VOLUNTEERS = "view_volunteers"  # volunteers, teams, activities, hours and statistics of the user's scope
SET_STAR_LEVELS = "set_star_levels"  # the district's 星级标准 (hours per star)

# The community's 志愿服务站 keeps the volunteers' files and organises most activities; streets and the district
# organise their own and read those below. Who organises one activity (a staff member, or a resident who leads
# the activity's team) is decided per activity, in the volunteers app.
VOLUNTEERS = {
    Role.ADMIN: {MANAGE_VOLUNTEERS, ORGANISE_ACTIVITIES, VIEW_VOLUNTEERS, SET_STAR_LEVELS},
    Role.DISTRICT_STAFF: {MANAGE_VOLUNTEERS, ORGANISE_ACTIVITIES, VIEW_VOLUNTEERS, SET_STAR_LEVELS},
    Role.STREET_STAFF: {MANAGE_VOLUNTEERS, ORGANISE_ACTIVITIES, VIEW_VOLUNTEERS},
    Role.COMMUNITY_WORKER: {MANAGE_VOLUNTEERS, ORGANISE_ACTIVITIES, VIEW_VOLUNTEERS},
}

# ---------------------------------------------------------------- donation drives (公益捐助)
RUN_DRIVES = "run_drives"  # set up a drive of the user's region, record pledges and receipts, ask disbursements
APPROVE_DISBURSEMENTS = "approve_disbursements"  # approve or refuse a disbursement of a drive below the user's office
VIEW_DRIVES = "view_drives"  # the drives of the user's scope, their ledgers and reports

# A community runs its drive; the street above approves what goes out of it (never the office that asked).
DONATIONS = {
    Role.ADMIN: {RUN_DRIVES, APPROVE_DISBURSEMENTS, VIEW_DRIVES},
    Role.DISTRICT_STAFF: {RUN_DRIVES, APPROVE_DISBURSEMENTS, VIEW_DRIVES},
    Role.STREET_STAFF: {RUN_DRIVES, APPROVE_DISBURSEMENTS, VIEW_DRIVES},
    Role.COMMUNITY_WORKER: {RUN_DRIVES, VIEW_DRIVES},
}

# ---------------------------------------------------------------- community burden (社区减负, 004 篇十八)
VIEW_DUTY_LISTS = "view_duty_lists"  # the two lists and the approved access items: every office that gives work
EDIT_DUTY_LISTS = "edit_duty_lists"  # keep the district's two lists (with history)
APPLY_ACCESS = "apply_access"  # ask for work outside the lists (社区工作准入申请): departments, streets, the district
FIRST_REVIEW_ACCESS = "first_review_access"  # 初审 by the district's leading group office
APPROVE_ACCESS = "approve_access"  # 审批 for 区委、区政府: another person than the one who did 初审
VIEW_BURDEN = "view_burden"  # the burden report and held work of the user's region (a community its own)

_DISTRICT_BURDEN = {VIEW_DUTY_LISTS, EDIT_DUTY_LISTS, APPLY_ACCESS, FIRST_REVIEW_ACCESS, APPROVE_ACCESS, VIEW_BURDEN}
BURDEN = {
    Role.ADMIN: _DISTRICT_BURDEN,
    Role.DISTRICT_STAFF: _DISTRICT_BURDEN,
    Role.STREET_STAFF: {VIEW_DUTY_LISTS, APPLY_ACCESS, VIEW_BURDEN},
    Role.COMMUNITY_WORKER: {VIEW_DUTY_LISTS, VIEW_BURDEN},
    Role.DEPT_HANDLER: {VIEW_DUTY_LISTS, APPLY_ACCESS},
}  # fmt: skip

# ---------------------------------------------------------------- certificates (居委会出具证明, 004 篇十八)
ISSUE_CERTIFICATES = "issue_certificates"  # take applications, review, issue and revoke: the seal's office
CONFIGURE_CERTIFICATES = "configure_certificates"  # the district's list of certifiable matters (15 by default)
VIEW_CERTIFICATES = "view_certificates"  # the certificates and applications of the user's scope

# Only the community's residents' committee holds the seal; offices above read and keep the list.
CERTIFICATES = {
    Role.ADMIN: {CONFIGURE_CERTIFICATES, VIEW_CERTIFICATES},
    Role.DISTRICT_STAFF: {CONFIGURE_CERTIFICATES, VIEW_CERTIFICATES},
    Role.STREET_STAFF: {VIEW_CERTIFICATES},
    Role.COMMUNITY_WORKER: {ISSUE_CERTIFICATES, VIEW_CERTIFICATES},
}

# ---------------------------------------------------------------- ledgers and archives (电子台账与档案, 000 篇4)
KEEP_ARCHIVES = "keep_archives"  # boxes and items of the user's region: add, edit, file, export
READ_ARCHIVES = "read_archives"  # read and search the boxes of the user's scope, attach items as evidence
CONFIGURE_ARCHIVES = "configure_archives"  # the categories offered beside the eight of "一盒档案"

ARCHIVES = {
    Role.ADMIN: {KEEP_ARCHIVES, READ_ARCHIVES, CONFIGURE_ARCHIVES},
    Role.DISTRICT_STAFF: {KEEP_ARCHIVES, READ_ARCHIVES, CONFIGURE_ARCHIVES},
    Role.STREET_STAFF: {KEEP_ARCHIVES, READ_ARCHIVES},
    Role.COMMUNITY_WORKER: {KEEP_ARCHIVES, READ_ARCHIVES},
    Role.GRID_WORKER: {READ_ARCHIVES},
}

# ---------------------------------------------------------------- pages: the menu and where each role lands

# Menu entries that no domain table above decides. A page left out of a role's set is not offered to it: it would
# answer 403 or show an empty registry (departments and companies see no people, no statistics).
WORKBENCH = "workbench"  # 工作台: what is late and what awaits the user's office
STATISTICS = "statistics"  # 统计概览 of the user's region
PEOPLE = "people"  # 人员, 一户一档, 房屋
REGIONS = "regions"  # 区域网格
PLANS = "plans"  # 工作方案
TASKS = "tasks"  # 我的任务: the reports the user's unit owes
RECTIFICATION = "rectification"  # 整改台账
ASSESSMENT_PAGES = "assessment"  # 测评考核
HONOUR_PAGES = "honours"  # 挂牌管理
NOTICE_PAGES = "notices"  # 社区公告 (the NOTICES table's publishers)
PROPERTY_PAGES = "property"  # 物业监管: companies and their files (the PROPERTY table; a company its own file)
COMMITTEE_PAGES = "committees"  # 业委会 and 红色物业 (the COMMITTEES table's readers)
VOTE_PAGES = "votes"  # 业主大会表决 (the VOTES table's viewers)
CONSULTATION_PAGES = "consultation"  # 议事协商 (the CONSULTATION table's roles)
SURVEY_PAGES = "surveys"  # 调查与普查 (the SURVEYS table's roles; an enumerator sees the areas assigned to it)
VOLUNTEER_PAGES = "volunteers"  # 志愿服务: volunteers, teams, activities, hours (the VOLUNTEERS table's viewers)
DONATION_PAGES = "donations"  # 公益捐助: drives and their ledgers (the DONATIONS table's viewers)
BURDEN_PAGES = "burden"  # 社区减负: the two lists, access applications, held work and the burden report
CERTIFICATE_PAGES = "certificates"  # 居委会证明: applications, issued certificates, the list of matters
ARCHIVE_PAGES = "archives"  # 电子台账: archive boxes, items and search

_OFFICE_PAGES = {
    WORKBENCH, STATISTICS, PEOPLE, REGIONS, PLANS, TASKS, RECTIFICATION, ASSESSMENT_PAGES, HONOUR_PAGES, NOTICE_PAGES,
    PROPERTY_PAGES, VOTE_PAGES, CONSULTATION_PAGES, SURVEY_PAGES, VOLUNTEER_PAGES, DONATION_PAGES, BURDEN_PAGES,
    CERTIFICATE_PAGES, ARCHIVE_PAGES,
}  # fmt: skip
PAGES = {
    Role.ADMIN: _OFFICE_PAGES,
    Role.DISTRICT_STAFF: _OFFICE_PAGES,
    Role.STREET_STAFF: _OFFICE_PAGES,
    Role.COMMUNITY_WORKER: _OFFICE_PAGES,
    Role.GRID_WORKER: {STATISTICS, PEOPLE, REGIONS, ASSESSMENT_PAGES, SURVEY_PAGES, ARCHIVE_PAGES},
    Role.DEPT_HANDLER: {PLANS, TASKS, RECTIFICATION, BURDEN_PAGES},
    Role.COMPANY_STAFF: {TASKS, RECTIFICATION, HONOUR_PAGES, PROPERTY_PAGES},
}

# The page each role opens on after login ("/"): its own work, not the district's charts.
LANDING = {
    Role.ADMIN: "workbench:home",
    Role.DISTRICT_STAFF: "workbench:home",
    Role.STREET_STAFF: "workbench:home",
    Role.COMMUNITY_WORKER: "workbench:home",
    Role.GRID_WORKER: "cases:mobile",
    Role.DEPT_HANDLER: "cases:todo",
    Role.COMPANY_STAFF: "cases:todo",
    Role.RESIDENT: "portal:home",
}

# The pages a resident may open, by URL namespace (and a few URL names outside any): the portal, the public report
# and tracking pages, signing out. Every other page answers a resident 403 (accounts.middleware); the API does the
# same through its authentication (accounts.auth).
RESIDENT_NAMESPACES = frozenset(
    {
        "portal",
        "report",
        "honours_public",
        "notices_portal",
        "property_public",
        "votes_portal",
        "consultation_portal",
        "volunteers_portal",
        "activities_portal",
        "volunteers_public",
        "donations_public",
        "certificates_portal",
        "certificates_public",
    }
)
RESIDENT_URL_NAMES = frozenset({"home", "login", "logout", "session_keep", "text_size", "javascript-catalog"})


def landing(user) -> str:
    """The URL name of the page the user lands on."""
    return LANDING.get(effective_role(user), "login")


def menu(user) -> frozenset[str]:
    """The menu entries the user's role is offered: PAGES, and the case pages from the CASES table."""
    entries = set(capabilities(user, PAGES))
    cases = capabilities(user, CASES)
    entries |= {name for name, cap in _CASE_ENTRIES.items() if cap in cases}
    if in_group(user, TODO_ROLES):
        entries.add("todo")
    if can(user, CASES, VIEW_INDICATORS):
        entries.add("bulletins")
    if can(user, REGISTRY, IMPORT_REGISTRY):
        entries.add("imports")
    if can(user, RESIDENTS, VIEW_RESIDENT_REVIEWS):
        entries.add("resident_reviews")
    if can(user, COMMITTEES, VIEW_COMMITTEES):
        entries.add(COMMITTEE_PAGES)
    return frozenset(entries)


_CASE_ENTRIES = {"dispatch": DISPATCHER, "intake": INTAKE, "mobile": PATROL, "supervise": SUPERVISOR}
