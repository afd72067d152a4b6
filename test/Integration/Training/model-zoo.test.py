"""Checks the metrics and images of model-zoo.test's 40-step runs."""
import json
import math
import os
import sys

out = sys.argv[1]


def last(model):
    with open(os.path.join(out, model + ".jsonl")) as f:
        return [json.loads(line) for line in f][-1]


def images(model):
    return " ".join(sorted(os.listdir(os.path.join(out, "img-" + model))))


for m in ("lenet", "lstm", "gru", "bn"):
    print(f"{m}: eval_accuracy {last(m)['eval_accuracy']}")

gan = last("gan")
losses = [v for k, v in gan.items() if "loss" in k]
assert losses and all(math.isfinite(v) for v in losses), gan
assert 0.0 < gan["eval_d_acc"] < 1.0, gan
print(f"gan: finite losses, eval_d_acc in (0, 1), {images('gan')}")

vae = last("vae")
assert math.isfinite(vae["eval_loss"]) and vae["eval_loss"] < 400, vae
print(f"vae: eval_loss below 400, {images('vae')}")
