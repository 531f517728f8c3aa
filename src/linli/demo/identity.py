"""Fake but valid identity numbers, phone numbers and credit codes, unique within one build. Pure.

Resident ID numbers follow GB 11643 (address code, birth date, sequence whose last digit is odd for
men, check character from people.rules); credit codes follow GB 32100 with the embedded GB 11714
organisation code. All of them pass the same validators the registry applies to real input.
"""

import random
from datetime import date

from linli.people import rules

MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 176 177 178 "
    "180 181 182 183 184 185 186 187 188 189 198 199"
).split()


class IdAllocator:
    """Hands out unique identity numbers. `used` is shared state: one allocator per build."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        for _ in range(1000):
            number = make()
            if number not in self.used:
                self.used.add(number)
                return number
        raise RuntimeError("identity numbers exhausted for this prefix and birth date")

    def resident(self, prefix: str, birth: date, male: bool) -> str:
        """18-character GB 11643 number: 6-digit address code + YYYYMMDD + 3-digit sequence + check."""

        def make():
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{prefix}{birth:%Y%m%d}{seq:03d}"
            return body + rules.id_check_char(body)

        return self._unique(make)

    def foreign_permanent(self, birth: date, male: bool, nationality: str = "410") -> str:
        """外国人永久居留身份证 (2023 edition): 9, province 21, nationality, birth date, sequence, check."""

        def make():
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"921{nationality}{birth:%Y%m%d}{seq:03d}"
            return body + rules.id_check_char(body)

        return self._unique(make)

    def passport(self, letters: str) -> str:
        """Letters as the issuing country uses them, then digits: nine characters in all."""
        digits = 9 - len(letters)
        return self._unique(lambda: letters + f"{self.rng.randrange(10 ** (digits - 1), 10**digits)}")


class PhoneAllocator:
    """Unique mobile numbers (1[3-9]x + 8 digits), and Shenyang landlines (024 + 8 digits)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used:
                self.used.add(number)
                return number

    def landline(self) -> str:
        return f"024-{self.rng.choice('2389')}{self.rng.randrange(10**7):07d}"


ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the credit-code charset: no I, O, Z, S, V


def credit_code(rng: random.Random, prefix: str) -> str:
    """A GB 32100 unified social credit code: 8-character prefix (登记管理部门, 类别, 行政区划码),
    a 9-character organisation code with its own check character, and the overall check character."""
    if prefix.startswith("9"):  # enterprises registered since 2015: organisation codes beginning MA
        org8 = "MA" + "".join(rng.choice(ORG_CODE_CHARS) for _ in range(6))
    else:
        org8 = "".join(rng.choice("0123456789") for _ in range(8))
    org9 = org8 + rules.org_code_check_char(org8)
    body = prefix + org9
    return body + rules.credit_check_char(body)
