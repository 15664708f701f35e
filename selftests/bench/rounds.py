# SPDX-License-Identifier: GPL-2.0
"""The rounds of a bench script that alternates paths (steer.sh, rps.sh,
ab.sh), read back from what lib.sh's run and crypto_rate wrote.

Each line "NAME SIZE PPS MBITS" is one run of NAME at SIZE octets of
payload; "crypto SIZE PPS MBITS" is the raw crypto rate, taken once, not
a round's; "round N" ends a round. A round cut short (no "round" line
after it) is left out, so that every ratio compares runs of one round.
"""


def read(path):
    """(rounds, crypto, best): each round's {(NAME, SIZE): PPS}, the raw
    crypto rate by SIZE, and the best PPS of each (NAME, SIZE) over the
    rounds."""
    rounds, cur, crypto = [], {}, {}
    with open(path) as f:
        for line in f:
            field = line.split()
            if field and field[0] == "round":
                rounds.append(cur)
                cur = {}
            elif len(field) == 4 and field[0] == "crypto":
                crypto[int(field[1])] = float(field[2])
            elif len(field) == 4:
                cur[(field[0], int(field[1]))] = float(field[2])
    best = {}
    for r in rounds:
        for key, pps in r.items():
            best[key] = max(best.get(key, 0), pps)
    return rounds, crypto, best
