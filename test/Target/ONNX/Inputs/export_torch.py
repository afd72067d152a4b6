#!/usr/bin/env python3
"""Exports an MLP and LeNet-5 from PyTorch 1.13 with torch.onnx.export.

Usage: export_torch.py OUTDIR

Writes OUTDIR/{mlp,lenet}.onnx (static batch sizes: 128 and 64, the
trainer's batches), a seeded input batch OUTDIR/{mlp,lenet}_x.npy and
PyTorch's output on it, OUTDIR/{mlp,lenet}_ref.npy.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


for name, model, shape in [("mlp", MLP(), (128, 784)),
                           ("lenet", LeNet(), (64, 1, 28, 28))]:
    model.eval()
    x = torch.rand(*shape)
    torch.onnx.export(model, (x,), os.path.join(out, name + ".onnx"),
                      input_names=["x"], output_names=["logits"],
                      opset_version=13)
    with torch.no_grad():
        ref = model(x).numpy()
    np.save(os.path.join(out, name + "_x.npy"), x.numpy())
    np.save(os.path.join(out, name + "_ref.npy"), ref)
    print("exported", name)
