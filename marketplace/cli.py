"""Command line: `python -m marketplace.cli migrate|demo|accounts|worker|create-admin`."""

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


async def demo(size: str = "demo", tasks: int | None = None, volunteers: int | None = None) -> None:
    """Load the demo sub-district (or, with size "district", the district data set of
    marketplace/district.py) when the database has no people yet."""
    from marketplace.demo import load_demo

    if size == "demo":
        created = await load_demo()
    else:
        from marketplace.district import SIZES, load_district

        default_tasks, default_volunteers = SIZES[size]
        created = await load_district(
            tasks=default_tasks if tasks is None else tasks,
            volunteers=default_volunteers if volunteers is None else volunteers,
        )
    print("demo data loaded" if created else "database already has data: demo not loaded")


def accounts() -> None:
    """Print the demo logins."""
    from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    print(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
    for role, (phone, name) in DEMO_ACCOUNTS.items():
        print(f"  {role:<24} {phone}  {name}")
    print("\nAPI: http://127.0.0.1:8000/api/v1   docs: http://127.0.0.1:8000/schema/swagger\n")


async def create_admin(*, phone: str, name: str) -> None:
    """The first administrator of an empty installation; prints how they sign in."""
    from marketplace.accounts.service import create_first_admin

    person_id, normalised = await create_first_admin(phone=phone, name=name)
    print(
        f"Administrator {name} ({normalised}) is person {person_id}.\n"
        "Sign in at /login → 验证码登录 (sign in with a code): the code goes to this phone by\n"
        "SMS, or to the server log with the default LIANXIN_SMS_BACKEND=console. Then set a\n"
        "password at /password, and create the sub-district, communities and compounds."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="marketplace.cli")
    parser.add_argument(
        "command", choices=["migrate", "demo", "accounts", "worker", "create-admin"]
    )
    parser.add_argument("--phone", help="create-admin: the administrator's mobile number")
    parser.add_argument("--name", help="create-admin: the administrator's name")
    parser.add_argument(
        "--size", choices=["demo", "district"], default="demo", help="demo: the data set to load"
    )
    parser.add_argument("--tasks", type=int, help="demo --size district: open tasks (20,000)")
    parser.add_argument("--volunteers", type=int, help="demo --size district: volunteers (35,000)")
    args = parser.parse_args(argv)
    if args.command == "create-admin":
        if not args.phone or not args.name:
            parser.error("create-admin needs --phone and --name")
        from marketplace.errors import DomainError

        try:
            asyncio.run(create_admin(phone=args.phone, name=args.name))
        except DomainError as exc:
            raise SystemExit(f"create-admin: {exc.message}") from None
    elif args.command == "migrate":
        asyncio.run(migrate())
    elif args.command == "demo":
        asyncio.run(demo(args.size, args.tasks, args.volunteers))
    elif args.command == "worker":
        from marketplace.dispatch.worker import main as worker

        worker()
    else:
        accounts()


if __name__ == "__main__":
    main(sys.argv[1:])
