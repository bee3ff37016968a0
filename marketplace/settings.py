"""One typed Settings object read from the environment (cached by get_settings)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "lianxin.sqlite"

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "tutoring",
    "repairs",
    "companionship",
    "errands",
    "medical_escort",
    "goods",
    "other",
)

# The negative list 负面清单: what a review refuses to publish. code -> keywords (zh and en).
DEFAULT_NEGATIVE_LIST: dict[str, tuple[str, ...]] = {
    "cash": ("现金", "转账", "借钱", "红包", "cash", "money transfer", "lend me"),
    "commercial": ("广告", "推销", "代购", "营销", "advertis", "sell ", "commission"),
    "unlawful": ("违法", "赌博", "毒品", "代考", "gambl", "drugs", "fake certificate"),
}


# 四级责任 the responsible levels, and a duty taxonomy of 3 categories and 12 types.
RESPONSIBLE_LEVELS: tuple[str, ...] = (
    "agency_party_org",
    "in_service_member",
    "sub_district",
    "community",
)
DEFAULT_DUTY_TYPES: dict[str, tuple[str, ...]] = {
    "serve_residents": ("elderly_care", "child_care", "hardship_relief", "medical_help"),
    "grassroots_governance": ("environment", "safety", "mediation", "facilities"),
    "civic_culture": ("volunteering", "culture_sports", "policy_outreach", "civility"),
}
CATEGORY_DUTY: dict[str, str] = {
    "tutoring": "child_care",
    "repairs": "facilities",
    "companionship": "elderly_care",
    "errands": "elderly_care",
    "medical_escort": "medical_help",
    "goods": "hardship_relief",
    "other": "volunteering",
}


DEV_SECRET = "dev-only-secret-change-me"
MIN_SECRET_LENGTH = 32


class InsecureConfiguration(RuntimeError):
    """The service was asked to run in production with a development setting."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    """Configuration of one running service; everything has an embedded default."""

    database_url: str | None = None
    redis_url: str | None = None
    redis_namespace: str = "lianxin"
    sqlite_path: Path = DEFAULT_SQLITE_PATH
    secret: str = DEV_SECRET
    # "development" (the default: `make run`, `make test`, the demo) or "production", which
    # refuses to start without a real LIANXIN_SECRET
    env: str = "development"
    https: bool = (
        False  # LIANXIN_HTTPS=1: cookies are Secure, Piccolo Admin runs in production mode
    )
    debug: bool = False
    max_open_claims: int = 5
    request_max_body_size: int = 256 * 1024
    login_attempts_per_window: int = 10
    login_window_seconds: int = 300
    session_max_age_seconds: int = 7 * 24 * 3600  # absolute lifetime of a session
    session_idle_seconds: int = 2 * 3600  # a session unused this long is dead
    feed_max_radius_m: int = 50_000
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    duty_types: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_DUTY_TYPES))
    cluster_threshold: int = 5  # 从解决一件事到解决一类事: this many wishes of a category ...
    cluster_window_days: int = 30  # ... within this many days suggest a standing project
    points_per_hour: int = 10  # 雷锋超市 points for each confirmed hour of service
    points_priority_bonus: float = 0.5  # and this much more for a priority-group wish
    # 派单 dispatch and the matching
    dispatch_response_hours: float = 24.0
    stale_claim_days: float = 7.0
    task_value_base_m: int = 3000
    task_value_per_group_m: int = 2000
    continuity_bonus_m: int = 500
    fairness_m: int = 300
    travel_speed_kmh: float = 15.0
    matching_time_limit_s: float = 20.0
    matching_mip_gap: float = 0.001  # when hours bind: stop within 0.1% of the proven bound
    # cores a matching solve may use; above 1 the solver's worker processes boot when the
    # service (or the SAQ worker) starts, before the first run needs them
    matching_threads: int = 1
    run_heartbeat_timeout_s: float = 120.0
    run_max_attempts: int = 2
    job_queue: str = "lianxin-matching"
    executor: str = "auto"  # auto: a SAQ queue on Redis when REDIS_URL is set, else in-process
    negative_list: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_NEGATIVE_LIST)
    )

    def check(self) -> None:
        """Refuse to run in production with the development secret (or a short one)."""
        if self.env == "development":
            return
        if self.secret == DEV_SECRET or len(self.secret) < MIN_SECRET_LENGTH:
            raise InsecureConfiguration(
                f"LIANXIN_ENV={self.env} needs LIANXIN_SECRET: a random value of at least "
                f"{MIN_SECRET_LENGTH} characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_hex(32))'`)."
            )

    def all_duty_types(self) -> list[str]:
        return [t for types in self.duty_types.values() for t in types]

    @classmethod
    def from_env(cls) -> Settings:
        """Read the settings from environment variables (unset means the embedded default)."""
        categories = os.environ.get("LIANXIN_CATEGORIES")
        return cls(
            database_url=os.environ.get("DATABASE_URL") or None,
            redis_url=os.environ.get("REDIS_URL") or None,
            sqlite_path=Path(os.environ.get("LIANXIN_SQLITE_PATH", str(DEFAULT_SQLITE_PATH))),
            secret=os.environ.get("LIANXIN_SECRET", cls.secret),
            env=os.environ.get("LIANXIN_ENV", "development"),
            https=os.environ.get("LIANXIN_HTTPS", "") == "1",
            debug=os.environ.get("LIANXIN_DEBUG", "") == "1",
            executor=os.environ.get("LIANXIN_EXECUTOR", "auto"),
            max_open_claims=_env_int("LIANXIN_MAX_OPEN_CLAIMS", cls.max_open_claims),
            dispatch_response_hours=float(os.environ.get("LIANXIN_DISPATCH_RESPONSE_HOURS", 24)),
            stale_claim_days=float(os.environ.get("LIANXIN_STALE_CLAIM_DAYS", 7)),
            matching_threads=_env_int("LIANXIN_MATCHING_THREADS", cls.matching_threads),
            categories=tuple(categories.split(",")) if categories else DEFAULT_CATEGORIES,
        )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings.from_env()
