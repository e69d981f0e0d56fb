from django.apps import AppConfig


class ServingConfig(AppConfig):
    """Serving the public site from many servers: one content version that every cached page and every
    ETag is keyed on, the page cache, and reads from database replicas."""

    name = "serving"

    def ready(self):
        from serving import content

        content.watch_public_content()
