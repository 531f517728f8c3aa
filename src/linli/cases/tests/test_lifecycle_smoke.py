from linli.cases import rules, services
from linli.core import factories


def test_full_loop(w):
    c = factories.case(w.grid_a1)
    street, handler, grid = w.users["street_staff"], w.users["dept_handler"], w.users["grid_worker"]
    assert c.number.endswith("000001") and c.state == rules.RECEIVED
    c = services.case_act(user=street, case_id=c.pk, action="register", version=c.version)
    c = services.case_act(user=street, case_id=c.pk, action="dispatch", version=c.version)
    assert c.lead_department.name == "区城市管理综合执法局" and c.due_at > c.warn_at > c.dispatched_at
    c = services.case_act(user=handler, case_id=c.pk, action="accept", version=c.version)
    c = services.case_act(user=handler, case_id=c.pk, action="feedback", version=c.version, note="已更换灯泡")
    c = services.case_act(user=grid, case_id=c.pk, action="verify", version=c.version)
    assert c.state == rules.CLOSED and c.on_time is True
    c = services.public_rate(tracking_code=c.tracking_code, rating=rules.UNSATISFIED)
    assert c.state == rules.HANDLING and c.reopen_count == 1
    assert [e.action for e in c.events.all()] == [
        "receive",
        "register",
        "dispatch",
        "accept",
        "feedback",
        "verify",
        "rate",
        "reopen",
    ]
