"""./linli manage demo_build [--seed N] [--scale X] [--cases N] [--reset] — build the demo district (docs/demo.md)."""

from django.core.management.base import BaseCommand, CommandError

from linli.demo import build

# The largest district the builder has been tried on is scale 20 (a million residents); twice that still fits in
# memory one community at a time. A year's cases keep to the six-digit serials of their numbers (2026-000123).
MAX_SCALE = 40
MAX_CASES = 1_000_000


class Command(BaseCommand):
    help = "生成演示区数据（同一种子生成相同数据）；已存在时只打印演示账号。Build the demo district."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=build.DEFAULT_SEED, help=f"随机种子 (default {build.DEFAULT_SEED})"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="规模系数：1 约五万人，20 约一百万人，0.02 约一千人 (1 ≈ 50,000 residents, 20 ≈ 1,000,000)",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="一年的事件数，默认按规模每五万人五千件 (cases in the year; default 5,000 per scale unit)",
        )
        parser.add_argument("--reset", action="store_true", help="清空业务数据后重建 (flush domain tables, rebuild)")

    def handle(self, *args, seed, scale, cases, reset, **options):
        if not 0 < scale <= MAX_SCALE:
            raise CommandError(f"--scale 应在 0 到 {MAX_SCALE} 之间 (must be in (0, {MAX_SCALE}])")
        if cases is not None and not 0 < cases <= MAX_CASES:
            raise CommandError(f"--cases 应在 1 到 {MAX_CASES:,} 之间 (must be in [1, {MAX_CASES:,}])")
        if reset:
            build.reset()
            self.stdout.write("已清空业务数据 (domain tables flushed)")
        elif build.demo_exists():
            self.stdout.write("演示数据已存在，未重新生成；如需重建请加 --reset (demo exists; --reset rebuilds it)")
            self.stdout.write(build.accounts_table())
            return
        elif build.has_domain_data():
            raise CommandError(
                "数据库中已有其他数据，未生成演示数据；加 --reset 将清空业务数据后重建 "
                "(the database holds other data; --reset flushes it and builds the demo)"
            )
        self.stdout.write(f"正在生成演示数据 (building the demo district, seed {seed}, scale {scale:g}) …")
        try:
            report = build.build(seed=seed, scale=scale, cases_count=cases, progress=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        width = max(len(k) for k in report.counts)
        for key, value in report.counts.items():
            self.stdout.write(f"  {key.ljust(width)} {value:>7,}")
        if options["verbosity"] > 1:
            for phase, seconds in report.phases.items():
                self.stdout.write(f"  {phase}: {seconds:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据生成完成，用时 {report.seconds:.1f} 秒 (demo data built in {report.seconds:.1f} s)"
            )
        )
        self.stdout.write(build.accounts_table())
