"""Until the forms package lands, a tiny stand-in for its contract (answer_errors, survey_form), so the entry
tests run on their own. Removed at the merge."""

import sys
import types

try:
    import linli.surveys.forms.rules  # noqa: F401
    import linli.surveys.forms.selectors  # noqa: F401
except ImportError:

    def _answer_errors(d, answers):
        errors = []
        for section in d["sections"]:
            for q in section["questions"]:
                value = answers.get(q["key"])
                if q.get("required") and value in (None, "", []):
                    errors.append((q["key"], f"{q['label']}：请填写"))
                if q["type"] == "table":
                    for n, row in enumerate(value or [], 1):
                        for c in q["columns"]:
                            if c.get("required") and not c.get("show_if") and row.get(c["key"]) in (None, ""):
                                errors.append((f"{q['key']}.{n}.{c['key']}", f"第{n}行 {c['label']}：请选择"))
        return errors

    def _survey_form(survey, role):
        from linli.surveys.models import SurveyForm

        found = SurveyForm.objects.filter(survey=survey, role=role).select_related("version").first()
        return found.version if found else None

    rules_module = types.ModuleType("linli.surveys.forms.rules")
    rules_module.answer_errors = _answer_errors
    selectors_module = types.ModuleType("linli.surveys.forms.selectors")
    selectors_module.survey_form = _survey_form
    sys.modules["linli.surveys.forms.rules"] = rules_module
    sys.modules["linli.surveys.forms.selectors"] = selectors_module
