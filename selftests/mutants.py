#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation run: do the suites catch the bugs they exist for?

Copies the tree (git's tracked and untracked, not ignored, files) into
build/mutants/tree, builds it, runs once each suite the mutants name (a
suite that fails unmutated makes its mutants "baseline"), then puts each
mutant of selftests/mutants.list into its file, builds, runs its suite and
puts the file back. Prints a table (id, file:line, what, suite, result) and
the kill rate: killed / (killed + SURVIVED). Slow: not part of make check.

  selftests/mutants.py [--only ID,ID] [--skip-vm] [--kver 6.1]
                       [--no-baseline] [--one-boot] [--list FILE]

--one-boot builds every kernel mutant's module first and runs them all,
the unmutated baselines first, in one VM boot (selftests/mutants-vm.sh):
a boot each is most of a kernel mutant's time.

A mutant with an "equivalent:" line (why it leaves what the code guards
as it was) that survives is "equivalent", not counted against the kill
rate. Results: killed, SURVIVED, equivalent, stale (the find text is not
in the file exactly once: the code moved on, the list needs updating),
baseline (the suite failed without the mutant), unbuilt counts as killed
(noted).
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SCRATCH = os.path.join(TOP, "build", "mutants")
TREE = os.path.join(SCRATCH, "tree")
LOGS = os.path.join(SCRATCH, "logs")
SUITE_TIMEOUT = {"unit": 300, "script": 1200, "vm": 2400}
# The kernel suites a mutant may name, as run in the VM once the debug
# module is loaded.
VM_SUITES = {
    "datapath": "E2M_KO=$ko selftests/e2m/datapath.sh",
    "netlink": "build/selftests/netlink",
}


def unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(text[i + 1],
                                                            "\\" + text[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_list(path):
    mutants, cur = [], {}
    for raw in open(path, encoding="utf-8").read().split("\n") + [""]:
        line = raw.rstrip("\n")
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                mutants.append(cur)
                cur = {}
            continue
        name, _, value = line.partition(": ")
        cur[name.strip()] = unescape(value) if name in ("find", "into") \
            else value.strip()
    for m in mutants:
        missing = {"id", "file", "find", "into", "suite", "what"} - set(m)
        if missing:
            sys.exit("mutants.list: %s lacks %s" % (m.get("id", "?"),
                                                    ", ".join(missing)))
    return mutants


def copy_tree():
    """The tree into TREE; files already there and equal keep their mtime."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=TOP,
        check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src, dst = os.path.join(TOP, rel), os.path.join(TREE, rel)
        if rel.startswith("build/") or not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(src, "rb") as f:
            data = f.read()
        if os.path.exists(dst):
            with open(dst, "rb") as f:
                if f.read() == data:
                    continue
        shutil.copy2(src, dst)


def sh(cmd, log, cwd=TREE, timeout=None, watch_tap=False):
    """Runs cmd (a list); returns (status, timed_out). With watch_tap, the
    first "not ok" or "Bail out!" ends it at once: the mutant is caught."""
    with open(log, "ab") as out:
        out.write(("$ %s\n" % " ".join(cmd)).encode())
        out.flush()
        p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        expired = threading.Event()

        def stop():
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        def expire():
            expired.set()
            stop()

        timer = threading.Timer(timeout, expire) if timeout else None
        if timer:
            timer.start()
        caught = False
        for line in p.stdout:
            out.write(line)
            if watch_tap and (line.startswith(b"not ok") or
                              line.startswith(b"Bail out!")):
                caught = True
                break
        if not caught:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        stop()
        p.wait()
        if timer:
            timer.cancel()
        if caught:
            return 1, False
        if expired.is_set():
            return 124, True
        return p.returncode, False


def kind(suite):
    return suite.split(":", 1)[0]


def build(suite, log, kver):
    if kind(suite) == "vm":
        status, _ = sh(["make", "-s", "module", "KVER=" + kver,
                        "E2M_DEBUG=y"], log)
        return status == 0 and \
            sh(["make", "-s", "selftests"], log)[0] == 0 and \
            sh(["make", "-s", "-C", "agent", "all"], log)[0] == 0
    k, name = suite.split(":", 1)
    targets = ["build/tests/" + name] if k == "unit" else ["all"]
    return sh(["make", "-s", "-j2", "-C", "agent"] + targets, log)[0] == 0


def suite_cmd(suite, kver):
    k, name = suite.split(":", 1)
    if k == "unit":
        return ["build/tests/" + name], os.path.join(TREE, "agent")
    if k == "script":
        return (["tests/%s.sh" % name, "build/e2mctl", "build/e2md"],
                os.path.join(TREE, "agent"))
    if k == "vm" and name in VM_SUITES:
        inner = ("ko=build/kmod/$E2M_KVER-debug/e2m.ko && "
                 "selftests/lib/load-module.sh $ko && " + VM_SUITES[name])
        return (["selftests/vm/run.sh", "--kver", kver, "--timeout", "2000",
                 "--", "bash", "-c", inner], TREE)
    sys.exit("unknown suite %s" % suite)


def run_suite(suite, log, kver):
    cmd, cwd = suite_cmd(suite, kver)
    status, timed_out = sh(cmd, log, cwd=cwd,
                           timeout=SUITE_TIMEOUT[kind(suite)], watch_tap=True)
    return status, timed_out


def locate(m):
    path = os.path.join(TREE, m["file"])
    if not os.path.exists(path):
        return None, None, 0
    text = open(path, encoding="utf-8").read()
    n = text.count(m["find"])
    line = text[:text.find(m["find"])].count("\n") + 1 if n == 1 else None
    return text, line, n


def vm_one_boot(mutants, kver, baseline):
    """The vm mutants in one VM boot: each module built in turn (the file
    put back after), then selftests/mutants-vm.sh loads and runs each.
    Returns {id: result}; "baseline-SUITE" for the unmutated runs."""
    # datapath.sh runs the agent's e2mctl.
    sh(["make", "-s", "-j2", "-C", "agent", "all"],
       os.path.join(LOGS, "build.log"))
    kodir = os.path.join(TREE, "build", "mutants-ko")
    shutil.rmtree(kodir, ignore_errors=True)
    os.makedirs(kodir)
    built = os.path.join(TREE, "build", "kmod", kver + "-debug", "e2m.ko")
    lines, results = [], {}
    if baseline:
        shutil.copy(built, os.path.join(kodir, "baseline.ko"))
        for suite in sorted({m["suite"] for m in mutants}):
            lines.append("baseline-%s %s build/mutants-ko/baseline.ko"
                         % (suite.split(":")[1], suite.split(":")[1]))
    for m in mutants:
        text, _, n = locate(m)
        if n != 1:
            continue
        path = os.path.join(TREE, m["file"])
        log = os.path.join(LOGS, m["id"] + ".log")
        open(log, "w").close()
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace(m["find"], m["into"], 1))
            ok = sh(["make", "-s", "module", "KVER=" + kver, "E2M_DEBUG=y"],
                    log)[0] == 0
            if ok:
                shutil.copy(built, os.path.join(kodir, m["id"] + ".ko"))
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        if ok:
            lines.append("%s %s build/mutants-ko/%s.ko" %
                         (m["id"], m["suite"].split(":")[1], m["id"]))
        else:
            results[m["id"]] = "killed (does not build)"
    sh(["make", "-s", "module", "KVER=" + kver, "E2M_DEBUG=y"],
       os.path.join(LOGS, "build.log"))
    with open(os.path.join(kodir, "list"), "w") as f:
        f.write("\n".join(lines) + "\n")
    log = os.path.join(LOGS, "one-boot.log")
    open(log, "w").close()
    sh(["selftests/vm/run.sh", "--kver", kver, "--timeout",
        str(900 * len(lines) + 300), "--", "selftests/mutants-vm.sh",
        "build/mutants-ko/list", "build/mutants-ko/out"], log)
    started = []
    for line in open(log, errors="replace"):
        f = line.split()
        if len(f) == 3 and f[:2] == ["#", "START"]:
            started.append(f[2])
        if len(f) >= 4 and f[:2] == ["#", "RESULT"]:
            caught = f[3] != "passed"
            results[f[2]] = ("FAILS" if caught else "ok") \
                if f[2].startswith("baseline-") else \
                ("killed (%s)" % " ".join(f[4:]) if caught else "SURVIVED")
    # The VM died (an oops panics it) in the last one started.
    if started and started[-1] not in results:
        results[started[-1]] = "killed (the VM died in it)"
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", default=os.path.join(TOP, "selftests",
                                                   "mutants.list"))
    ap.add_argument("--only", help="comma-separated ids")
    ap.add_argument("--skip-vm", action="store_true",
                    help="leave out the mutants whose suite is the VM's")
    ap.add_argument("--kver", default=os.environ.get("KVER") or "6.1")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--one-boot", action="store_true",
                    help="build every kernel mutant's module first, then "
                    "run them all (and the baselines) in one VM boot")
    a = ap.parse_args()

    mutants = read_list(a.list)
    if a.only:
        wanted = set(a.only.split(","))
        unknown = wanted - {m["id"] for m in mutants}
        if unknown:
            sys.exit("no such mutant: %s" % ", ".join(sorted(unknown)))
        mutants = [m for m in mutants if m["id"] in wanted]
    if a.skip_vm:
        mutants = [m for m in mutants if kind(m["suite"]) != "vm"]
    kver = subprocess.run([os.path.join(TOP, "selftests/vm/kver.sh"),
                           a.kver], capture_output=True, text=True
                          ).stdout.strip() or a.kver

    os.makedirs(LOGS, exist_ok=True)
    copy_tree()
    start = time.monotonic()
    blog = os.path.join(LOGS, "build.log")
    open(blog, "w").close()
    print("# scratch tree %s, logs in %s" % (TREE, LOGS), flush=True)
    if sh(["make", "-s", "-j2", "-C", "agent", "tests"], blog)[0]:
        sys.exit("the scratch tree does not build (%s)" % blog)
    if any(kind(m["suite"]) == "vm" for m in mutants) and \
            (sh(["make", "-s", "module", "KVER=" + kver, "E2M_DEBUG=y"],
                blog)[0] or sh(["make", "-s", "selftests"], blog)[0]):
        sys.exit("the module or the kselftests do not build (%s)" % blog)

    broken, booted = set(), {}
    if a.one_boot:
        vm = [m for m in mutants if kind(m["suite"]) == "vm"]
        mutants = [m for m in mutants if kind(m["suite"]) != "vm"] + vm
        booted = vm_one_boot(vm, kver, not a.no_baseline)
        for suite in sorted({m["suite"] for m in vm}):
            got = booted.get("baseline-" + suite.split(":")[1])
            if got:
                print("# baseline %s: %s" % (suite, got), flush=True)
            if got == "FAILS":
                broken.add(suite)
    if not a.no_baseline:
        for suite in sorted({m["suite"] for m in mutants
                             if not (a.one_boot and kind(m["suite"]) == "vm")}):
            log = os.path.join(LOGS, "baseline-%s.log" %
                               suite.replace(":", "-"))
            open(log, "w").close()
            status, _ = run_suite(suite, log, kver)
            print("# baseline %s: %s" % (suite, "ok" if not status else
                                         "FAILS (%s)" % log), flush=True)
            if status:
                broken.add(suite)

    rows = []
    for m in mutants:
        path = os.path.join(TREE, m["file"])
        text, line, n = locate(m)
        where = "%s:%s" % (m["file"], line if line else "?")
        if n != 1:
            result = "stale" + ("" if n == 0 else " (%d places)" % n)
        elif m["suite"] in broken:
            result = "baseline"
        elif a.one_boot and kind(m["suite"]) == "vm":
            result = booted.get(m["id"], "not run (the VM died before it)")
            if result == "SURVIVED" and "equivalent" in m:
                result = "equivalent"
        else:
            log = os.path.join(LOGS, m["id"] + ".log")
            open(log, "w").close()
            t0 = time.monotonic()
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text.replace(m["find"], m["into"], 1))
                if not build(m["suite"], log, kver):
                    result = "killed (does not build)"
                else:
                    status, timed_out = run_suite(m["suite"], log, kver)
                    result = ("killed (timeout)" if timed_out else
                              "killed" if status else
                              "equivalent" if "equivalent" in m else
                              "SURVIVED")
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            result += " %ds" % (time.monotonic() - t0)
        rows.append((m["id"], where, m["what"], m["suite"], result))
        print("# %-24s %s" % (m["id"], result), flush=True)

    # Put the scratch build back to the tree as it is.
    sh(["make", "-s", "-j2", "-C", "agent", "tests"], blog)

    print()
    print("| id | file:line | what | suite | result |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s | %s | %s | %s |" % r)
    killed = sum(r[4].startswith("killed") for r in rows)
    equivalent = sum(r[4].startswith("equivalent") for r in rows)
    survived = sum(r[4].startswith("SURVIVED") for r in rows)
    stale = sum(r[4].startswith("stale") for r in rows)
    print()
    print("killed %d of %d (%.0f %%), %d survived, %d equivalent, %d stale, "
          "%d baseline; %d min" % (
              killed, killed + survived,
              100.0 * killed / max(1, killed + survived), survived,
              equivalent, stale,
              len(rows) - killed - survived - equivalent - stale,
              (time.monotonic() - start) / 60))
    # Survivors, stale rows, baselines.
    return 0 if killed + equivalent == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
