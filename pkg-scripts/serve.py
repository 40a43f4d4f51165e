"""Serves www/ as demo.sh does: a static server that sends the two headers that make the page
cross-origin isolated, so that its training Worker can share memory between threads (the
threaded training module, www/js/training-module.js). A host that cannot send them still
works: the page's service worker adds them (www/sw.js), or the Worker trains on one thread.

usage: serve.py DIRECTORY PORT
"""
import functools
import http.server
import sys

# Every response: the page opens no cross-origin window and embeds nothing cross-origin that
# does not agree to it (everything is same-origin), which is what shared memory asks for.
ISOLATION_HEADERS = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}


class IsolatingHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def end_headers(self):
        for name, value in ISOLATION_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()


if __name__ == "__main__":
    directory, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(IsolatingHandler, directory=directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
