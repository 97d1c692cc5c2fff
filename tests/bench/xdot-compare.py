#!/usr/bin/python3
# xdot-compare.py: Svyaz's canvas against xdot.py and the Graphviz CLI on
# the same laid-out graph.
#
# Usage: xvfb-run -a tests/bench/xdot-compare.py [--cli build/src/svyaz-cli] [--nodes 3600]
# (xdot.py's module needs a display to import, even to draw off screen)
#
# Generates a store (svyaz-cli generate), lays its whole graph out with
# sfdp and exports it as DOT with positions (svyaz-cli export), turns that
# into xdot drawing operations with the Graphviz CLI (neato -n2 -Txdot,
# keeping the positions), then times, in this one run:
#   - parse: xdot.py's parser on the .xdot file; Svyaz loading the graph
#     from its store (bench open);
#   - one full-view frame and one frame zoomed 8x, 1280x800, into a cairo
#     image: xdot.py's Graph.draw() with the visible rectangle as its
#     bounding box (as its DotWidget does); Svyaz's bench render;
#   - one hit-test: xdot.py's get_url() then get_jump() (what its widget
#     does on every pointer motion); Svyaz's bench hittest;
#   - the Graphviz CLI drawing the same positions to a PNG (neato -n2 -Tpng),
#     what a user without a viewer would run.
# and prints "name value unit" lines, then the ratios. Needs Debian's xdot
# and graphviz packages and runs with the system Python (python3-gi).
# Figures go in tests/bench/README.md.

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

import cairo

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from xdot.dot.parser import XDotParser  # noqa: E402

W, H = 1280, 800


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def svyaz_figures(cli, db, bench):
    out = run([cli, "--db", db, "bench", bench])
    figures = {}
    for line in out.splitlines():
        m = re.match(r"(\S+) ([0-9.]+) (\S+)", line)
        if m:
            figures[m.group(1)] = (float(m.group(2)), m.group(3))
    return figures


def xdot_frame(graph, zoom_over_fit):
    # As xdot's zoom_to_fit: the graph's size (its bounding box can hold
    # infinities from text shapes).
    x0, y0, x1, y1 = 0, 0, graph.width, graph.height
    fit = min(W / max(x1 - x0, 1), H / max(y1 - y0, 1))
    zoom = fit * zoom_over_fit
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bounding = (cx - W / 2 / zoom, cy - H / 2 / zoom, cx + W / 2 / zoom, cy + H / 2 / zoom)
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, W, H)
    cr = cairo.Context(surface)
    t0 = time.perf_counter()
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    cr.scale(zoom, zoom)
    cr.translate(-bounding[0], -bounding[1])
    graph.draw(cr, highlight_items=None, bounding=bounding)
    surface.flush()
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "src", "svyaz-cli"))
    ap.add_argument("--nodes", type=int, default=3600)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        dot = os.path.join(tmp, "graph.dot")
        xdot = os.path.join(tmp, "graph.xdot")
        png = os.path.join(tmp, "graph.png")
        # The bench's own proportion: 2.2 relations per entity.
        run([args.cli, "generate", "--entities", str(args.nodes), "--relations", str(int(args.nodes * 2.2)),
             "--seed", str(args.seed), "-o", db])
        run([args.cli, "--db", db, "export", "-o", dot, "--engine", "sfdp"])
        t0 = time.perf_counter()
        run(["neato", "-n2", "-Txdot", dot, "-o", xdot])
        xdot_ops = time.perf_counter() - t0
        t0 = time.perf_counter()
        run(["neato", "-n2", "-Tpng", dot, "-o", png])
        cli_png = time.perf_counter() - t0

        data = open(xdot, "rb").read()
        t0 = time.perf_counter()
        graph = XDotParser(data).parse()
        parse = time.perf_counter() - t0

        full = statistics.median(xdot_frame(graph, 1.0) for _ in range(3))
        zoomed = statistics.median(xdot_frame(graph, 8.0) for _ in range(3))

        rand = random.Random(args.seed)
        x0, y0, x1, y1 = 0, 0, graph.width, graph.height
        probes = [(rand.uniform(x0, x1), rand.uniform(y0, y1)) for _ in range(300)]
        t0 = time.perf_counter()
        for x, y in probes:
            if graph.get_url(x, y) is None:
                graph.get_jump(x, y)
        hit = (time.perf_counter() - t0) / len(probes)

        opened = svyaz_figures(args.cli, db, "open")
        render = svyaz_figures(args.cli, db, "render")
        hittest = svyaz_figures(args.cli, db, "hittest")

    print("graph_nodes %d nodes" % len(graph.nodes))
    print("graph_edges %d edges" % len(graph.edges))
    print("graphviz_cli_xdot %.2f s" % xdot_ops)
    print("graphviz_cli_png %.2f s" % cli_png)
    print("xdot_parse %.0f ms" % (parse * 1e3))
    print("xdot_full_view_frame %.0f ms" % (full * 1e3))
    print("xdot_zoomed_8x_frame %.1f ms" % (zoomed * 1e3))
    print("xdot_hittest %.0f us" % (hit * 1e6))

    svyaz_load = opened["open_load_graph"][0] * 1e3 if "open_load_graph" in opened else float("nan")
    svyaz_full = render["render_full_view_frame"][0]
    svyaz_detailed = render["render_full_view_frame_detailed"][0]
    svyaz_zoomed = render["render_zoomed_8x_frame"][0]
    svyaz_hit = hittest["hittest_indexed"][0]
    print("svyaz_load_graph %.0f ms" % svyaz_load)
    print("svyaz_full_view_frame %.1f ms" % svyaz_full)
    print("svyaz_full_view_frame_detailed %.1f ms" % svyaz_detailed)
    print("svyaz_zoomed_8x_frame %.1f ms" % svyaz_zoomed)
    print("svyaz_hittest %.2f us" % svyaz_hit)
    print("ratio_load %.1f x" % (parse * 1e3 / svyaz_load))
    print("ratio_full_view_frame %.1f x" % (full * 1e3 / svyaz_full))
    print("ratio_full_view_frame_detailed %.1f x" % (full * 1e3 / svyaz_detailed))
    print("ratio_zoomed_8x_frame %.1f x" % (zoomed * 1e3 / svyaz_zoomed))
    print("ratio_hittest %.0f x" % (hit * 1e6 / svyaz_hit))
    print("ratio_graphviz_png_vs_full_frame %.0f x" % (cli_png * 1e3 / svyaz_full))


if __name__ == "__main__":
    main()
