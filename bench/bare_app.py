"""The ceiling for bench.throughput: a bare Flask app that answers each path with the bytes the
portal sent for it (read from BENCH_BARE_PAGES, a JSON file of path -> text), nothing else."""

import json
import os

from flask import Flask, Response, request

app = Flask(__name__)
PAGES = json.loads(open(os.environ["BENCH_BARE_PAGES"], encoding="utf-8").read())  # noqa: SIM115


@app.route("/", defaults={"path": ""})
@app.route("/<path:path>")
def page(path):
    full = request.full_path.rstrip("?")
    return Response(PAGES[full], mimetype="text/html")
