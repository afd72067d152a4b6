#!/usr/bin/env python3
"""loss_decreases.py STEPS.jsonl: the trainer's --step-log ({"step": N,
"loss": L} per update). Prints 'decreases first F last L' when the mean
loss of the last 5 steps is below that of the first 5, else 'FAIL ...'."""
import json
import sys

losses = [json.loads(line)["loss"] for line in open(sys.argv[1]) if line.strip()]
first = sum(losses[:5]) / 5
last = sum(losses[-5:]) / 5
print("decreases" if last < first else "FAIL", "steps %d first %.4f last %.4f"
      % (len(losses), first, last))
