"""Command line: `python -m marketplace.cli migrate|demo|accounts|worker`."""

from __future__ import annotations

import argparse
import asyncio
import sys


async def migrate() -> None:
    """Apply every migration in migrations/ to the configured database."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="marketplace")
    if not result.success:
        raise SystemExit(f"migrations failed: {result.message}")


async def demo() -> None:
    """Load the demo sub-district when the database has no people yet."""
    from marketplace.demo import load_demo

    created = await load_demo()
    print("demo data loaded" if created else "database already has data: demo not loaded")


def accounts() -> None:
    """Print the demo logins."""
    from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    print(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    for role, (phone, name) in DEMO_ACCOUNTS.items():
        print(f"  {role:<24} {phone}  {name}")
    print("\nAPI: http://127.0.0.1:8000/api/v1   docs: http://127.0.0.1:8000/schema/swagger\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="marketplace.cli")
    parser.add_argument("command", choices=["migrate", "demo", "accounts", "worker"])
    args = parser.parse_args(argv)
    if args.command == "migrate":
        asyncio.run(migrate())
    elif args.command == "demo":
        asyncio.run(demo())
    elif args.command == "worker":
        from marketplace.dispatch.worker import main as worker

        worker()
    else:
        accounts()


if __name__ == "__main__":
    main(sys.argv[1:])
