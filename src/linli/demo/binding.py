"""The demo's residents' accounts (居民端): a few hundred residents bound to the registry over the communities, and
in each community a few bindings waiting for it (another phone than the one on file) and a few 更正申请, so the
review queue of every community worker has work. Bulk inserts: the accounts have no password (residents sign in
by a code), the bindings are what residents.binding.services.bind writes for a phone that matches."""

import random
from datetime import datetime, timedelta

from linli.accounts.models import User
from linli.accounts.roles import Role
from linli.accounts.scope import within
from linli.cases import rules as cases_rules
from linli.cases.models import Case
from linli.core.pii import lookup_hash
from linli.people.models import Person
from linli.regions.models import Region
from linli.residents import rules
from linli.residents.account.rules import NOTICE_VERSION
from linli.residents.models import BindingRequest, Consent, CorrectionRequest, Resident

# The number a visitor signs in with (its code is on the outbox page). A person of the first community has it on
# file, so 实名认证 with that person's name and ID number (printed by `./linli demo`) binds at once, and a few of the
# community's cases were reported from it, so 我的反映 has something to follow before anything is reported.
DEMO_PHONE = "13900000000"
# Three of them, in the first of these states the community has a case in: one to rate, others under way.
DEMO_REPORTS = 3
DEMO_STATES = (
    cases_rules.CLOSED,
    cases_rules.FEEDBACK,
    cases_rules.HANDLING,
    cases_rules.DISPATCHED,
    cases_rules.RECEIVED,
)
BOUND_PER_COMMUNITY = 40
PENDING_BINDINGS_PER_COMMUNITY = 3
CORRECTIONS_PER_COMMUNITY = 3
CANDIDATES = 200  # the first adults with a mobile phone of each community, to draw from
EMPLOYERS = ["市第一人民医院", "区实验小学", "沈阳地铁运营公司", "华润万家超市", "个体经营", "区税务局"]
REASONS = {
    "employer": "换了工作单位",
    "phone": "手机号换了，原号码已停用",
    "education": "已取得新的学历",
    "current_address": "已搬家",
}


def _phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _account(rng: random.Random) -> User:
    # "!": an unusable password (Django's convention), as resident_account sets; the name is random as there.
    return User(username=f"r-{rng.getrandbits(48):012x}", role=Role.RESIDENT, password="!")


def _correction(rng: random.Random, person: Person, taken: set[str]) -> tuple[str, list[rules.Change]]:
    field = rng.choice(sorted(REASONS))
    old = getattr(person, field) or ""
    if field == "employer":
        new = rng.choice([e for e in EMPLOYERS if e != old])
    elif field == "phone":
        new = _phone(rng, taken)
    elif field == "education":
        new = rng.choice([e for e in ("college", "bachelor", "postgraduate") if e != old])
    else:
        new = f"{old or '本小区'}（已搬至{rng.randint(1, 30)}号楼）"[:200]
    return REASONS[field], [rules.Change(field, rules.CORRECTABLE[field], old, new)]


def build(*, seed: int, now: datetime) -> str:
    rng = random.Random(f"{seed}:residents")
    taken: set[str] = set()
    bound, waiting, corrections = [], [], []  # (user, resident, person) and what they ask
    for community in Region.objects.filter(level=Region.Level.COMMUNITY).order_by("code"):
        adults = Person.objects.filter(birth_date__lte=now.date() - timedelta(days=18 * 366)).exclude(phone_hash="")
        mobiles = within(adults, community.path, "grid").order_by("id")[:CANDIDATES]
        candidates = [p for p in mobiles if p.phone.startswith("1")]
        picked = rng.sample(candidates, min(len(candidates), BOUND_PER_COMMUNITY + PENDING_BINDINGS_PER_COMMUNITY))
        for n, person in enumerate(picked):
            if n < BOUND_PER_COMMUNITY:
                taken.add(person.phone)
                bound.append((_account(rng), person.phone, person))
                if n < CORRECTIONS_PER_COMMUNITY:
                    corrections.append((len(bound) - 1, *_correction(rng, person, taken)))
            else:  # the phone on file is another one: the community confirms
                waiting.append((_account(rng), _phone(rng, taken), person))
    User.objects.bulk_create([user for user, _, _ in bound + waiting])
    bound_at = [now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 1440)) for _ in bound]
    residents = Resident.objects.bulk_create(
        [Resident(user=u, phone=phone, phone_hash=lookup_hash(phone), person=p, bound_at=at)
         for (u, phone, p), at in zip(bound, bound_at, strict=True)]
        + [Resident(user=u, phone=phone, phone_hash=lookup_hash(phone)) for u, phone, _ in waiting]
    )  # fmt: skip
    # Each account agreed to the privacy notice before it gave a name and ID number.
    Consent.objects.bulk_create([Consent(resident=r, version=NOTICE_VERSION) for r in residents])
    BindingRequest.objects.bulk_create(
        [
            BindingRequest(
                resident=r, person=r.person, why=rules.Why.NONE, status=rules.Status.APPROVED, decided_at=r.bound_at
            )  # fmt: skip
            for r in residents[: len(bound)]
        ]
        + [
            BindingRequest(resident=r, person=person, why=rules.Why.PHONE_DIFFERS)
            for r, (_, _, person) in zip(residents[len(bound) :], waiting, strict=True)
        ]
    )
    requests = []
    for i, reason, changes in corrections:
        request = CorrectionRequest(resident=residents[i], person=bound[i][2], reason=reason)
        request.changes = changes
        requests.append(request)
    CorrectionRequest.objects.bulk_create(requests)
    _demo_person(taken)
    return (
        f"{len(bound)} 位已实名居民 bound residents, {len(waiting)} 份待核实的实名认证 pending bindings, "
        f"{len(requests)} 份更正申请 corrections"
    )


def _demo_person(taken: set[str]) -> None:
    first = Region.objects.filter(level=Region.Level.COMMUNITY).order_by("code").first()
    heads = Person.objects.filter(relationship=Person.Relationship.HEAD, household__isnull=False, resident__isnull=True)
    heads = within(heads, first.path, "grid")
    person = next(p for p in heads.order_by("id") if p.phone not in taken)
    Person.objects.filter(pk=person.pk).update(phone=DEMO_PHONE, phone_hash=lookup_hash(DEMO_PHONE))
    reported = 0
    for state in DEMO_STATES:
        # Not online reports: the demo's 我的反映 step gives those to the accounts, and the point is that a call to the
        # hotline with this phone shows up too.
        cases = Case.objects.filter(state=state, rating="").exclude(channel=Case.Channel.ONLINE)
        case = within(cases, first.path, "region").order_by("-received_at")[:1]
        reported += Case.objects.filter(pk__in=case).update(
            reporter_name=person.name, reporter_phone=DEMO_PHONE, reporter_phone_hash=lookup_hash(DEMO_PHONE)
        )
        if reported == DEMO_REPORTS:
            break
    if reported < DEMO_REPORTS:
        # The community may have no case under way (a small district, built at an hour when all of its cases are
        # closed): the demo phone then follows cases under way elsewhere in the district, as a resident may report
        # anywhere.
        cases = Case.objects.filter(state__in=cases_rules.OPEN_STATES, rating="").exclude(channel=Case.Channel.ONLINE)
        cases = cases.exclude(reporter_phone_hash=lookup_hash(DEMO_PHONE)).order_by("-received_at")
        Case.objects.filter(pk__in=cases[: DEMO_REPORTS - reported]).update(
            reporter_name=person.name, reporter_phone=DEMO_PHONE, reporter_phone_hash=lookup_hash(DEMO_PHONE)
        )


def demo_person() -> Person | None:
    """The registry person whose phone is the demo phone, for the printed instructions."""
    return Person.objects.filter(phone_hash=lookup_hash(DEMO_PHONE)).first()
