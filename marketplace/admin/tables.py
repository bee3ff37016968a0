"""Accounts and sessions of Piccolo Admin at /admin/ (its own login, separate from the app's)."""

from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase


class AdminUser(BaseUser, tablename="admin_user"):
    """A coordinator or admin allowed into the raw tables."""


class AdminSession(SessionsBase, tablename="admin_session"):
    """Piccolo Admin's sessions."""
