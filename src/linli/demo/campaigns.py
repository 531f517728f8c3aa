"""The demo's campaign work (SPEC §4): two plans from the seeds, their task trees and progress reports,
rectification findings, honours and one completed assessment round.

Each part lives in its own module and returns the lines it wants printed; plans come first because every other
part refers to them.
"""

from datetime import datetime


def build_campaigns(*, seed: int, now: datetime) -> list[str]:
    lines: list[str] = []
    return lines
