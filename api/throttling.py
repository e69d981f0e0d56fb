from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ClientAddressRateThrottle(AnonRateThrottle):
    """Requests per client address, at the rate of TRACKER_API_RATE_LIMIT (settings.API_RATE_LIMIT).

    Read at each request rather than once at import, so that a changed setting takes effect.
    """

    def get_rate(self):
        return settings.API_RATE_LIMIT
