from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VotesConfig(AppConfig):
    name = "linli.votes"
    verbose_name = gettext_lazy("业主大会表决")

    def ready(self):
        from linli.residents.entries import Entry, register

        from .selectors import owns_a_house

        register(Entry("votes", _("业主投票"), "votes_portal:list", hint=_("业主大会表决：本小区的表决事项"), order=30,
                       shown=owns_a_house, needs_binding=True))  # fmt: skip
