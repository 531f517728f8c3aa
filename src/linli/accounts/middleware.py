from django.core.exceptions import PermissionDenied

from . import roles


class ResidentsStayInThePortal:
    """A resident's session opens the portal's pages and the public ones (roles.RESIDENT_NAMESPACES), nothing else:
    staff pages answer 403 before their view runs, whatever checks the view itself makes. The API refuses residents
    in its authentication (accounts.auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.namespaces and match.namespaces[0] == "api-v1":
            return None
        if roles.is_resident(request.user) and not (
            match.url_name in roles.RESIDENT_URL_NAMES
            and not match.namespaces
            or set(match.namespaces) & roles.RESIDENT_NAMESPACES
        ):
            raise PermissionDenied
        return None
