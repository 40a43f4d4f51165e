"""Serves a directory for the benchmark pages and collects the numbers they POST back.

usage: serve.py ROOT PORT RESULTS_DIR
Each POST to /results/<label> is written to RESULTS_DIR/<label>.json.
"""
import functools
import http.server
import pathlib
import sys
import urllib.parse

root, port, results = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_POST(self):
        if not self.path.startswith("/results/"):
            self.send_error(404)
            return
        label = urllib.parse.unquote(self.path[len("/results/"):]).replace("/", "_")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        (results / f"{label}.json").write_bytes(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


handler = functools.partial(Handler, directory=root)
http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
