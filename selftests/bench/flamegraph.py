#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A flame graph of `perf script` call chains, for make bench.

usage: perf script -F comm,ip,sym | flamegraph.py [--title T] [--top N]
                        [--inclusive F1,F2...] [--folded FILE] SVG

Each sample's chain is folded into one line, "comm;outermost;...;leaf",
and counted. Samples whose leaf is the idle loop (a halted vCPU) are
counted apart and left out of the graph and of the shares, so what
remains is where the busy CPUs spent their time. Prints the samples kept
and dropped, the top N functions by self time (the leaf of a sample) as
a share of the kept ones, and the share of each function named with
--inclusive together with its callees. Writes the folded stacks to FILE
if asked, and the SVG: one box per frame, its width proportional to the
samples under it, callers below callees, a title on each box.
"""
import argparse
import collections
import html
import re
import sys
import zlib

# Where an idle CPU is when the clock samples it.
IDLE = {"native_safe_halt", "pv_native_safe_halt", "default_idle",
        "arch_cpu_idle", "default_idle_call", "cpu_idle_poll", "poll_idle",
        "mwait_idle", "intel_idle", "acpi_idle_do_entry", "acpi_safe_halt"}

WIDTH, FRAME, FONT, MARGIN = 1200, 16, 11, 10


def samples(lines):
    """Yields each sample's (comm, frames from leaf to outermost)."""
    comm, frames = None, []
    for line in lines:
        if not line.strip():
            if comm is not None:
                yield comm, frames
            comm, frames = None, []
        elif line[0].isspace():
            fields = line.split(None, 1)
            sym = fields[1] if len(fields) > 1 else "[unknown]"
            sym = re.sub(r"\+0x[0-9a-f]+$", "", sym.split(" (")[0].strip())
            frames.append(sym or "[unknown]")
        else:
            comm = line.split()[0]
    if comm is not None:
        yield comm, frames


def fold(lines):
    """Counts of "comm;outer;...;leaf", and the idle samples dropped."""
    stacks, idle = collections.Counter(), 0
    for comm, frames in samples(lines):
        if frames and frames[0] in IDLE:
            idle += 1
            continue
        stacks[";".join([comm] + frames[::-1])] += 1
    return stacks, idle


def tree(stacks):
    """The folded stacks as nested nodes: [count, {name: node}]."""
    root = [0, {}]
    for stack, n in stacks.items():
        node = root
        node[0] += n
        for name in stack.split(";"):
            node = node[1].setdefault(name, [0, {}])
            node[0] += n
    return root


def colour(name):
    """e2m's own functions blue-green, the crypto orange, the rest warm."""
    h = zlib.crc32(name.encode()) % 60
    if name.startswith("e2m_"):
        return "rgb(%d,%d,%d)" % (60 + h, 170, 170)
    if re.search(r"aes|crypto|ctr|cbc|cmac|skcipher|fpu", name):
        return "rgb(240,%d,40)" % (130 + h)
    return "rgb(%d,%d,60)" % (205 + h // 2, 80 + h * 2)


def depth_of(node):
    return max((1 + depth_of(c) for c in node[1].values()), default=0)


def boxes(node, name, x, depth, scale, total, top, out):
    """Appends the SVG boxes of @node and its callees, left to right."""
    width = node[0] * scale
    if width < 0.3:
        return
    y = MARGIN + FONT * 2 + (top - depth) * FRAME
    label = "%s (%d samples, %.2f%%)" % (name, node[0], 100.0 * node[0] / total)
    fits = int((width - 4) / (FONT * 0.6))
    text = name if len(name) <= fits else name[:max(0, fits - 2)] + ".."
    out.append('<g><title>%s</title><rect x="%.1f" y="%d" width="%.1f" '
               'height="%d" fill="%s" rx="2"/>' % (
                   html.escape(label), x, y, width, FRAME - 1, colour(name)))
    if len(text) > 2:
        out.append('<text x="%.1f" y="%d">%s</text>' % (
            x + 3, y + FRAME - 4, html.escape(text)))
    out.append("</g>")
    for child_name in sorted(node[1]):
        child = node[1][child_name]
        boxes(child, child_name, x, depth + 1, scale, total, top, out)
        x += child[0] * scale


def svg(stacks, title):
    """The whole picture: the title on top, the outermost frames below."""
    root = tree(stacks)
    total, top = root[0] or 1, depth_of(root)
    scale = (WIDTH - 2 * MARGIN) / total
    out, x = [], MARGIN
    for name in sorted(root[1]):
        boxes(root[1][name], name, x, 1, scale, total, top, out)
        x += root[1][name][0] * scale
    height = MARGIN * 2 + FONT * 2 + top * FRAME
    return "\n".join([
        '<?xml version="1.0" standalone="no"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
        'font-family="monospace" font-size="%d">' % (WIDTH, height, FONT),
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="%d" y="%d" font-size="%d">%s (%d samples)</text>' % (
            MARGIN, MARGIN + FONT, FONT + 2, html.escape(title), root[0])]
        + out + ["</svg>", ""])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("svg")
    ap.add_argument("--title", default="flame graph")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--folded")
    ap.add_argument("--inclusive", default="",
                    help="comma-separated functions: their share with callees")
    args = ap.parse_args()

    stacks, idle = fold(sys.stdin)
    kept = sum(stacks.values())
    print("samples: %d kept, %d idle dropped (%.1f%% idle)" % (
        kept, idle, 100.0 * idle / max(1, kept + idle)))
    selfs = collections.Counter()
    for stack, n in stacks.items():
        selfs[stack.rsplit(";", 1)[-1]] += n
    for name, n in selfs.most_common(args.top):
        print("  %5.1f%%  %s" % (100.0 * n / max(1, kept), name))
    for name in filter(None, args.inclusive.split(",")):
        n = sum(c for stack, c in stacks.items() if name in stack.split(";"))
        print("  %5.1f%%  %s, with what it calls" % (100.0 * n / max(1, kept), name))
    if args.folded:
        with open(args.folded, "w") as f:
            for stack, n in sorted(stacks.items()):
                f.write("%s %d\n" % (stack, n))
    with open(args.svg, "w") as f:
        f.write(svg(stacks, args.title))


if __name__ == "__main__":
    main()
