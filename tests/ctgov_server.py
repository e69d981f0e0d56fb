"""A real HTTP server on 127.0.0.1 that answers like ClinicalTrials.gov's API v2, from the saved records."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDS = Path(__file__).parent / "data" / "ctgov"
SLOW = "NCT11111111"
NOT_JSON = "NCT22222222"
NOT_A_STUDY = "NCT33333333"
FAILS_ONCE = "NCT02210780-fails-once"


class Registry(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("User-Agent")))
        nct_id = self.path.rsplit("/", 1)[-1]
        if self.server.down:
            self.send_error(503)
            return
        if self.server.fail_next:
            self.server.fail_next -= 1
            self.send_error(502)
            return
        if nct_id == SLOW:
            time.sleep(self.server.delay)
            body = b"{}"
        elif nct_id == NOT_JSON:
            body = b"<html>Service maintenance</html>"
        elif nct_id == NOT_A_STUDY:
            body = b'{"studies": [], "nextPageToken": null}'
        elif (RECORDS / f"{nct_id}.json").exists():
            body = self.server.records.get(nct_id) or (RECORDS / f"{nct_id}.json").read_bytes()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def start():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    server.daemon_threads = True
    server.requests, server.records, server.down, server.fail_next, server.delay = [], {}, False, 0, 1.0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
