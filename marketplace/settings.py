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


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines of a `.env` file (comments, blanks and `export ` allowed; quotes stripped)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().removeprefix("export ").strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def load_env_file() -> None:
    """Put the `.env` file's values (LIANXIN_ENV_FILE, default ./.env at the repository root)
    into the environment, under what the environment already says: the app and the worker then
    read one configuration. LIANXIN_ENV_FILE= (empty) reads none."""
    name = os.environ.get("LIANXIN_ENV_FILE", str(ROOT / ".env"))
    if not name:
        return
    for key, value in read_env_file(Path(name)).items():
        os.environ.setdefault(key, value)


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
    login_attempts_per_window: int = 10  # failed sign-ins per account (normalised phone)
    login_window_seconds: int = 300
    login_failures_per_client: int = 30  # failed sign-ins from one client address, any accounts
    login_failures_overall: int = 1000  # failed sign-ins of everyone together in the window
    # one-time codes (验证码)
    code_ttl_seconds: int = 300
    code_max_attempts: int = 5
    code_resend_seconds: int = 60
    codes_per_phone_per_day: int = 10
    codes_per_client_per_hour: int = 20
    # SMS: console (log only) or tencent; see marketplace/sms/tencent.py for the variables
    sms_backend: str = "console"
    sms_secret_id: str = ""
    sms_secret_key: str = ""
    sms_app_id: str = ""
    sms_sign_name: str = ""
    sms_region: str = "ap-guangzhou"
    sms_templates: tuple[tuple[str, str], ...] = ()
    # request limits (marketplace/limits.py): per signed-in person, per address when anonymous
    rate_limit_person_per_minute: int = 600
    rate_limit_anonymous_per_minute: int = 300
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For counts
    feed_min_radius_m: int = 500  # the feed's smallest radius (privacy: see tasks/feed.py)
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
    # a running run beats every few seconds; one silent this long is retried (its worker died)
    run_heartbeat_timeout_s: float = 20.0
    run_beat_every_s: float = 5.0
    sweep_every_s: float = 10.0
    worker_heartbeat_ttl_s: float = 30.0
    run_max_attempts: int = 2
    job_queue: str = "lianxin-matching"
    executor: str = "auto"  # auto: a SAQ queue on Redis when REDIS_URL is set, else in-process
    # bounded pools that wait, and timeouts: a dependency down answers 503, never hangs
    db_pool_min: int = 2
    db_pool_max: int = 20
    db_acquire_timeout_s: float = 5.0
    db_connect_timeout_s: float = 5.0
    db_statement_timeout_s: float = 30.0
    redis_pool_max: int = 64
    redis_pool_timeout_s: float = 5.0
    redis_socket_timeout_s: float = 2.0
    retry_after_s: int = 5
    # a street map under the pages' maps: tile URL templates ({z}/{x}/{y}, {s} for the
    # subdomains), several separated by spaces (天地图: the roads, then their names); none: the
    # plain drawing. Tiles must be WGS-84 / CGCS2000 (天地图, OpenStreetMap), not GCJ-02.
    map_tiles: tuple[str, ...] = ()
    map_subdomains: str = "abc"
    map_attribution: str = ""
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

    def map_tile_sources(self) -> tuple[str, ...]:
        """The origins of the configured tiles, which the pages' CSP lets images come from."""
        from marketplace.maps import tile_sources

        return tile_sources(self.map_tiles, self.map_subdomains)

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
            rate_limit_person_per_minute=_env_int(
                "LIANXIN_RATE_LIMIT_PERSON_PER_MINUTE", cls.rate_limit_person_per_minute
            ),
            rate_limit_anonymous_per_minute=_env_int(
                "LIANXIN_RATE_LIMIT_ANONYMOUS_PER_MINUTE", cls.rate_limit_anonymous_per_minute
            ),
            trusted_proxies=tuple(
                p.strip()
                for p in os.environ.get("LIANXIN_TRUSTED_PROXIES", "").split(",")
                if p.strip()
            ),
            feed_min_radius_m=_env_int("LIANXIN_FEED_MIN_RADIUS_M", cls.feed_min_radius_m),
            dispatch_response_hours=float(os.environ.get("LIANXIN_DISPATCH_RESPONSE_HOURS", 24)),
            stale_claim_days=float(os.environ.get("LIANXIN_STALE_CLAIM_DAYS", 7)),
            matching_threads=_env_int("LIANXIN_MATCHING_THREADS", cls.matching_threads),
            categories=tuple(categories.split(",")) if categories else DEFAULT_CATEGORIES,
            db_pool_min=_env_int("LIANXIN_DB_POOL_MIN", cls.db_pool_min),
            db_pool_max=_env_int("LIANXIN_DB_POOL_MAX", cls.db_pool_max),
            db_acquire_timeout_s=_env_float(
                "LIANXIN_DB_ACQUIRE_TIMEOUT_S", cls.db_acquire_timeout_s
            ),
            db_connect_timeout_s=_env_float(
                "LIANXIN_DB_CONNECT_TIMEOUT_S", cls.db_connect_timeout_s
            ),
            db_statement_timeout_s=_env_float(
                "LIANXIN_DB_STATEMENT_TIMEOUT_S", cls.db_statement_timeout_s
            ),
            redis_pool_max=_env_int("LIANXIN_REDIS_POOL_MAX", cls.redis_pool_max),
            redis_pool_timeout_s=_env_float(
                "LIANXIN_REDIS_POOL_TIMEOUT_S", cls.redis_pool_timeout_s
            ),
            redis_socket_timeout_s=_env_float(
                "LIANXIN_REDIS_SOCKET_TIMEOUT_S", cls.redis_socket_timeout_s
            ),
            run_heartbeat_timeout_s=_env_float(
                "LIANXIN_RUN_HEARTBEAT_TIMEOUT_S", cls.run_heartbeat_timeout_s
            ),
            map_tiles=tuple(os.environ.get("LIANXIN_MAP_TILES", "").split()),
            map_subdomains=os.environ.get("LIANXIN_MAP_SUBDOMAINS", cls.map_subdomains),
            map_attribution=os.environ.get("LIANXIN_MAP_ATTRIBUTION", cls.map_attribution),
        )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once (the `.env` file under the environment)."""
    load_env_file()
    return Settings.from_env()
