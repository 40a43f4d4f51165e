"""Serves a directory for the benchmark pages and collects the numbers they POST back.

usage: serve.py ROOT PORT RESULTS_DIR
Each POST to /results/<label> is written to RESULTS_DIR/<label>.json. Every response carries
the cross-origin isolation headers, as demo.sh's server sends them (pkg-scripts/serve.py), so
that the benchmark page can run the threaded training module.
"""
import functools
import http.server
import pathlib
import sys
import urllib.parse

root, port, results = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

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
