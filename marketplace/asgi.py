"""The ASGI entry point for uvicorn: `uvicorn marketplace.asgi:app`."""

from marketplace.app import create_app

app = create_app()
