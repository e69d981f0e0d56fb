from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The project itself, as an app: its system checks and its runserver command."""

    name = "tracker"

    def ready(self):
        from tracker import checks  # noqa: F401  (registers the serving check)
