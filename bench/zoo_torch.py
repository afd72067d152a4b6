#!/usr/bin/env python3
"""PyTorch twins of the examples/mnist_*.mlir models, timed per epoch.

Called by bench/train_zoo.py (one process per model, so that each one starts
from a clean allocator):

  /usr/bin/python3 bench/zoo_torch.py MODEL THREADS EPOCHS DATA_DIR

MODEL is lenet, lstm, gru, mlp_bn_dropout, gan or vae. Each twin has the same
layers, widths, loss, optimizer, learning rate and batch size as the Kiln
example (the initial weights differ: timing does not depend on them). Every
epoch visits the 8,000 training digits in a new random order and drops the
last partial batch, as Kiln's trainer does; only the training steps are
timed. Prints one JSON line: {"model", "batch", "steps", "times", "blas"}.
"""

import json
import sys
import time

import numpy as np
import torch
from torch import nn


def idx(path):
    b = open(path, "rb").read()
    rank = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * rank).reshape(dims)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = (nn.Linear(400, 120), nn.Linear(120, 84),
                                        nn.Linear(84, 10))
        self.drop = nn.Dropout(0.3)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = self.drop(torch.relu(self.fc1(x.flatten(1))))
        x = self.drop(torch.relu(self.fc2(x)))
        return self.fc3(x)


class Recurrent(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.rnn = cell(28, 128, batch_first=True)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc(self.rnn(x)[0][:, -1])


def mlp_bn_dropout():
    return nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(),
                         nn.Dropout(0.2), nn.Linear(256, 128),
                         nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(128, 10))


def classifier(model, shape, batch, lr, cosine_steps=0):
    """A step function for a cross-entropy classifier trained with Adam
    (with a cosine schedule to 0 over `cosine_steps` steps if nonzero)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, cosine_steps)
             if cosine_steps else None)
    loss_fn = nn.CrossEntropyLoss()
    model.train()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x.reshape(batch, *shape)), y)
        loss.backward()
        opt.step()
        if sched:
            sched.step()
    return step


def gan():
    gen = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2),
                        nn.Linear(256, 784), nn.Sigmoid())
    disc = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2),
                         nn.Linear(256, 1))
    d_opt = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
    g_opt = torch.optim.Adam(gen.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(64, 1), torch.zeros(64, 1)

    def step(x, _):
        # The two phases of one batch share the noise, as Kiln's step key does.
        z = torch.randn(64, 64)
        fake = gen(z)
        d_opt.zero_grad()
        d_loss = bce(disc(x), ones) + bce(disc(fake.detach()), zeros)
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = bce(disc(fake), ones)
        g_loss.backward()
        g_opt.step()
    return step


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.mu, self.logvar = (nn.Linear(784, 400),
                                          nn.Linear(400, 20),
                                          nn.Linear(400, 20))
        self.dec1, self.dec2 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec2(torch.relu(self.dec1(z))), mu, logvar


def vae():
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x, _):
        opt.zero_grad()
        logits, mu, logvar = model(x)
        recon = nn.functional.binary_cross_entropy_with_logits(
            logits, x, reduction="sum") / x.shape[0]
        kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp()) / x.shape[0]
        (recon + kl).backward()
        opt.step()
    return step


# model -> (batch, step factory)
MODELS = {
    "lenet": (64, lambda: classifier(LeNet(), (1, 28, 28), 64, 2e-3, 1875)),
    "lstm": (64, lambda: classifier(Recurrent(nn.LSTM), (28, 28), 64, 2e-3)),
    "gru": (64, lambda: classifier(Recurrent(nn.GRU), (28, 28), 64, 2e-3)),
    "mlp_bn_dropout": (128, lambda: classifier(mlp_bn_dropout(), (784,), 128,
                                               1e-3)),
    "gan": (64, gan),
    "vae": (128, vae),
}


def main():
    name, threads, epochs, data = (sys.argv[1], int(sys.argv[2]),
                                   int(sys.argv[3]), sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.from_numpy((idx(data + "/train-images-idx3-ubyte")
                          .reshape(-1, 784) / 255.0).astype(np.float32))
    y = torch.from_numpy(idx(data + "/train-labels-idx1-ubyte")
                         .astype(np.int64))
    batch, factory = MODELS[name]
    step = factory()
    steps = len(x) // batch
    times = []
    for _ in range(epochs):
        perm = torch.randperm(len(x))
        t0 = time.perf_counter()
        for k in range(steps):
            i = perm[k * batch:(k + 1) * batch]
            step(x[i], y[i])
        times.append(time.perf_counter() - t0)
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if "blas" in line and ".so" in line})
    print(json.dumps({"model": name, "batch": batch, "steps": steps,
                      "times": times, "blas": blas}))


if __name__ == "__main__":
    main()
