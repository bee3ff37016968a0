"""Messages shared by every domain (the generic refusals)."""
