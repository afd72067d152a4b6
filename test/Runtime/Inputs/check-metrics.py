#!/usr/bin/env python3
"""Checks a trainer metrics file (--metrics FILE.jsonl).

  check-metrics.py FILE --epochs N [--accuracy] [--eval] [--learns]
                  [--phases P1,P2,...] [--train-metrics M1,...]
                  [--eval-metrics M1,...]

Every line must be a JSON object with exactly the keys epoch, step,
batches, train_loss, train_accuracy, eval_loss, eval_accuracy,
samples_per_sec and seconds, plus train_NAME for every --train-metrics and
eval_NAME for every --eval-metrics; with --phases, train_loss_P for each
phase replaces train_loss. Epochs must be numbered 1..N; train metrics are
numbers, eval metrics numbers with --eval, else null. --accuracy: train_accuracy is a number
in [0, 1] (else null); --eval: eval_loss is a number (else null), and
eval_accuracy too with --accuracy. --learns: the last epoch's train loss is
below half the first's, and its eval loss (with --eval) below the first's.
Prints "OK <epochs> epochs" or exits 1 with the reason.
"""

import argparse
import json
import math
import sys

KEYS = ["epoch", "step", "batches", "train_loss", "train_accuracy",
        "eval_loss", "eval_accuracy", "samples_per_sec", "seconds"]


def fail(msg):
    print("check-metrics: " + msg)
    sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--accuracy", action="store_true")
    p.add_argument("--eval", action="store_true")
    p.add_argument("--learns", action="store_true")
    p.add_argument("--phases", default="")
    p.add_argument("--train-metrics", default="")
    p.add_argument("--eval-metrics", default="")
    a = p.parse_args()
    split = lambda s: [x for x in s.split(",") if x]
    phases = split(a.phases)
    losses = ["train_loss_" + x for x in phases] or ["train_loss"]
    train = ["train_" + x for x in split(a.train_metrics)]
    evals = ["eval_" + x for x in split(a.eval_metrics)]
    keys = [k for k in KEYS if k != "train_loss"] + losses + train + evals
    with open(a.file) as f:
        lines = [json.loads(line) for line in f]
    if len(lines) != a.epochs:
        fail("%d lines, expected %d" % (len(lines), a.epochs))
    step = 0
    for i, m in enumerate(lines):
        for k in keys:
            if k not in m:
                fail("line %d: missing key %s" % (i + 1, k))
        for k in m:
            if k not in keys:
                fail("line %d: unexpected key %s" % (i + 1, k))
        if m["epoch"] != i + 1:
            fail("line %d: epoch %s" % (i + 1, m["epoch"]))
        if m["step"] <= step:
            fail("line %d: step %s does not increase" % (i + 1, m["step"]))
        step = m["step"]
        for k in losses + train:
            if not isinstance(m[k], (int, float)) or not math.isfinite(m[k]):
                fail("line %d: %s %s" % (i + 1, k, m[k]))
        if m["samples_per_sec"] <= 0 or m["seconds"] < 0:
            fail("line %d: bad timing" % (i + 1))
        checks = [("train_accuracy", a.accuracy), ("eval_loss", a.eval),
                  ("eval_accuracy", a.eval and a.accuracy)]
        checks += [(k, a.eval) for k in evals]
        for key, present in checks:
            v = m[key]
            if present and not isinstance(v, (int, float)):
                fail("line %d: %s is %r, expected a number" % (i + 1, key, v))
            if not present and v is not None:
                fail("line %d: %s is %r, expected null" % (i + 1, key, v))
            if present and key.endswith("accuracy") and not 0 <= v <= 1:
                fail("line %d: %s = %s" % (i + 1, key, v))
    if a.learns:
        if phases:
            fail("--learns needs a single phase")
        first, last = lines[0], lines[-1]
        if not last["train_loss"] < 0.5 * first["train_loss"]:
            fail("train loss %s -> %s" % (first["train_loss"],
                                          last["train_loss"]))
        if a.eval and not last["eval_loss"] < first["eval_loss"]:
            fail("eval loss %s -> %s" % (first["eval_loss"],
                                         last["eval_loss"]))
    print("OK %d epochs" % len(lines))


if __name__ == "__main__":
    main()
