"""告知同意: the version of the privacy notice in force. A new text gets a new version, and every resident is asked
again before the portal goes on (residents.access). No Django."""

NOTICE_VERSION = "2026-12"
NOTICE_TEMPLATE = f"residents/privacy/{NOTICE_VERSION}.html"  # each version's text stays as it was agreed to


def needs_consent(accepted_versions: set[str], current: str = NOTICE_VERSION) -> bool:
    return current not in accepted_versions
