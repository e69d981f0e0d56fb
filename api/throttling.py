import logging

from django.conf import settings
from redis import RedisError
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class ClientAddressRateThrottle(AnonRateThrottle):
    """Requests per client address, at the rate of TRACKER_API_RATE_LIMIT (settings.API_RATE_LIMIT).

    Read at each request rather than once at import, so that a changed setting takes effect.
    """

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            # The counts live in the shared cache; without it the API answers rather than fail.
            logger.warning("The API's request counts could not be read: %s", error)
            return True
