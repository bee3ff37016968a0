"""Text messages (短信): one-time codes now, notices later, through a chosen provider."""
