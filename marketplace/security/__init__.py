"""What protects every request: security headers, cookies, CSRF tied to the session, input hygiene."""
