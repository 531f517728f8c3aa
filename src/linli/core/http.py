"""What middleware and views ask of a request alike."""

from django.http import HttpRequest


def served_by_the_api(request: HttpRequest) -> bool:
    """The request was routed to the JSON API (known once the URL is resolved)."""
    # django-ninja mounts every API's URLs in its "ninja" application namespace (linli/api.py).
    match = request.resolver_match
    return match is not None and match.app_name == "ninja"
