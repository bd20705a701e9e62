#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A real git smart-HTTP server for tests: `git http-backend` behind http.server.

libgit2 does not speak the dumb HTTP protocol, so tests need the smart one. Every request runs
`git http-backend` as a CGI program (GIT_PROJECT_ROOT=--root, every repository exported);
request bodies stream into its stdin (Content-Length or chunked), its output streams back
(chunked when the CGI gives no Content-Length, so connections stay alive).

  git-http-server.py --root DIR [--port 0] [--bind 127.0.0.1] [--token T]
                     [--throttle-ms MS] [--exit-on-stdin-eof] [--verbose]

--port 0 picks a free port; the first stdout line is always `PORT <n>`.
--token T requires HTTP Basic auth with password T (any user), else 401.
--throttle-ms MS sleeps MS between 4 KiB response chunks (slow server for timeout tests).
--exit-on-stdin-eof exits when stdin closes: the parent test died, don't linger.
--verbose logs requests and http-backend's stderr to stderr.
Python 3 standard library only.
"""

import argparse
import base64
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

CHUNK = 4096


class GitHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gasper-test-git/1"

    def do_GET(self):
        self.run_backend()

    def do_POST(self):
        self.run_backend()

    def log_message(self, fmt, *args):
        if self.server.options.verbose:
            sys.stderr.write("git-http-server: %s - %s\n" % (self.address_string(), fmt % args))

    # --- auth -----------------------------------------------------------------------------
    def authorized_user(self):
        """None when refused, else the user name ('' when no token is required)."""
        token = self.server.options.token
        if not token:
            return ""
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        if not sep or password != token:
            return None
        return user or "token"

    def send_simple(self, status, text, extra_headers=()):
        body = (text + "\n").encode()
        self.discard_body()
        self.send_response(status)
        for name, value in extra_headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # --- request body ---------------------------------------------------------------------
    def body_chunks(self):
        """Yields the request body as it arrives (Content-Length or chunked)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size_line = self.rfile.readline(1024)
                if not size_line:
                    return
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return
                remaining = size
                while remaining:
                    data = self.rfile.read(min(remaining, 65536))
                    if not data:
                        return
                    remaining -= len(data)
                    yield data
                self.rfile.readline(16)  # CRLF after the chunk
        else:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining > 0:
                data = self.rfile.read(min(remaining, 65536))
                if not data:
                    return
                remaining -= len(data)
                yield data

    def discard_body(self):
        if getattr(self, "_body_consumed", False):
            return
        self._body_consumed = True
        for _ in self.body_chunks():
            pass

    # --- CGI ------------------------------------------------------------------------------
    def run_backend(self):
        self._body_consumed = False
        user = self.authorized_user()
        if user is None:
            self.send_simple(401, "authentication required",
                             [("WWW-Authenticate", 'Basic realm="git"')])
            return

        path, _, query = self.path.partition("?")
        path_info = urllib.parse.unquote(path)
        if "\0" in path_info or ".." in path_info.split("/"):
            self.send_simple(403, "forbidden path")
            return

        env = {k: v for k, v in os.environ.items() if not k.startswith("HTTP_")}
        env.update({
            "GIT_PROJECT_ROOT": self.server.options.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": self.request_version,
            "SERVER_SOFTWARE": self.server_version,
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
        })
        if user:
            env["REMOTE_USER"] = user
        chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
        if self.command == "POST" and not chunked:
            env["CONTENT_LENGTH"] = self.headers.get("Content-Length", "0")
        # Without CONTENT_LENGTH http-backend reads stdin to EOF, which is what chunked needs.
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_AUTHORIZATION", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                env[key] = value

        proc = subprocess.Popen(["git", "http-backend"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env,
                                stderr=None if self.server.options.verbose else subprocess.DEVNULL)

        # Feed stdin from a thread: the backend may write before it has read everything,
        # and two full pipes would deadlock.
        def feed():
            try:
                if self.command == "POST":
                    self._body_consumed = True
                    for data in self.body_chunks():
                        proc.stdin.write(data)
            except (BrokenPipeError, OSError):
                pass
            finally:
                try:
                    proc.stdin.close()
                except OSError:
                    pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            self.relay_response(proc)
        except (BrokenPipeError, ConnectionResetError):
            # The client went away (an aborted clone): stop the backend, drop the connection.
            self.close_connection = True
            proc.kill()
        finally:
            feeder.join()
            proc.stdout.close()
            proc.wait()

    def relay_response(self, proc):
        status, reason = 200, "OK"
        headers = []
        length = None
        while True:
            line = proc.stdout.readline()
            if not line:
                break
            line = line.rstrip(b"\r\n")
            if not line:
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip(), value.strip()
            if name.lower() == "status":
                code, _, reason = value.partition(" ")
                status = int(code)
            elif name.lower() == "content-length":
                length = int(value)
            else:
                headers.append((name, value))

        self.send_response(status, reason or None)
        for name, value in headers:
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        throttle = self.server.options.throttle_ms / 1000.0
        while True:
            data = proc.stdout.read1(CHUNK) if throttle == 0 else proc.stdout.read(CHUNK)
            if not data:
                break
            if length is None:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
            if throttle:
                self.wfile.flush()
                time.sleep(throttle)
        if length is None:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class GitServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, options):
        self.options = options
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, GitHandler)

    def handle_error(self, request, client_address):
        # Clients drop kept-alive or aborted connections all the time; that is no error.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description="git smart-HTTP server for tests")
    parser.add_argument("--root", required=True, help="directory holding the repositories")
    parser.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--token", default="", help="require Basic auth with this password")
    parser.add_argument("--throttle-ms", type=int, default=0)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    options.root = os.path.abspath(options.root)
    if not os.path.isdir(options.root):
        parser.error("--root %s is not a directory" % options.root)
    if shutil.which("git") is None:
        parser.error("git is not on PATH")

    server = GitServer((options.bind, options.port), options)
    print("PORT %d" % server.server_address[1], flush=True)

    if options.exit_on_stdin_eof:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch_stdin, daemon=True).start()

    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
