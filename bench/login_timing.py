"""How long a wrong password sign-in takes for a registered phone, an unknown phone and a
malformed one (issue 21 item 5): the three should cost the same, one Argon2 verification.

    python -m bench.login_timing [--rounds 15]

Runs `accounts.service.authenticate` against a throwaway SQLite database and prints the median
of each case and its ratio to the registered case (measured in the same run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime


async def _main(rounds: int) -> None:
    from marketplace import db
    from marketplace.accounts import service
    from marketplace.accounts.rules import hash_password
    from marketplace.accounts.tables import Person
    from marketplace.cli import migrate
    from marketplace.errors import NotAuthenticated

    path = os.path.join(tempfile.mkdtemp(prefix="lianxin-bench-"), "bench.sqlite")
    engine = db.sqlite_engine(path)
    await db.use_engine(engine)
    await db.prepare_engine(engine)
    await migrate()
    phone = "13800001111"
    await Person(
        name="林测",
        phone=phone,
        password_hash=hash_password("right-password-1"),
        created_at=datetime.now(UTC),
    ).save()
    cases = {"registered": phone, "unknown": "13900002222", "malformed": None}
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):
        for label, number in cases.items():
            start = time.perf_counter()
            with contextlib.suppress(NotAuthenticated):
                await service.authenticate(phone=number, password="wrong-password")
            times[label].append(time.perf_counter() - start)
    base = statistics.median(times["registered"])
    print(f"wrong sign-in, median of {rounds} (SQLite, Argon2id defaults):")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:<11} {median * 1000:7.1f} ms   ratio to registered {median / base:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    asyncio.run(_main(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
