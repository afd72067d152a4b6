"""The workloads of bench/run.py: each as a Kiln model and as PyTorch code.

A workload is timed as one call: a whole training step (forward, loss,
backward, optimizer update) for the `train` kind, a forward pass for
`infer`, one product for `matmul`. The Kiln side is an `nn` model whose
entry point kiln-bench calls (the `_train_step` function that
kiln-train-step builds from `nn.train`); the PyTorch side is the same model
written as a PyTorch user would (torch.nn modules, torch.optim, the default
[out, in] weight layout), built by `torch_callable` inside the PyTorch
process.
"""

# name -> (kind, description, parameters)
WORKLOADS = {
    "mlp_sgd_b32": ("train", "MLP 784-512-256-10 SGD step, batch 32",
                    {"batch": 32, "opt": "sgd"}),
    "mlp_sgd_b128": ("train", "MLP SGD step, batch 128",
                     {"batch": 128, "opt": "sgd"}),
    "mlp_sgd_b512": ("train", "MLP SGD step, batch 512",
                     {"batch": 512, "opt": "sgd"}),
    "mlp_adam_b128": ("train", "MLP Adam step, batch 128",
                      {"batch": 128, "opt": "adam"}),
    "lenet_sgd_b64": ("train", "LeNet-5 SGD step, batch 64", {"batch": 64}),
    "lstm_sgd": ("train", "LSTM SGD step, T 32, input 32, hidden 128, "
                 "batch 64", {"batch": 64, "seq": 32, "input": 32,
                              "hidden": 128}),
    "mlp_infer_b1": ("infer", "MLP inference, batch 1", {"batch": 1}),
    "mlp_infer_b128": ("infer", "MLP inference, batch 128", {"batch": 128}),
    "matmul_512": ("matmul", "matmul 512^3", {"n": 512}),
    "matmul_1024": ("matmul", "matmul 1024^3", {"n": 1024}),
    "matmul_2048": ("matmul", "matmul 2048^3", {"n": 2048}),
}

MLP_FLOP_PER_EXAMPLE = 2407424  # products of a training step, per example


def flop(name):
    kind, _, p = WORKLOADS[name]
    if kind == "matmul":
        return 2 * p["n"] ** 3
    if name.startswith("mlp_") and kind == "train":
        return p["batch"] * MLP_FLOP_PER_EXAMPLE
    return None


def _mlp_layers(b, lines):
    lines += [
        '  %w1 = nn.param "fc1.w" xavier_uniform seed = 1 : tensor<784x512xf32>',
        '  %b1 = nn.param "fc1.b" zeros : tensor<512xf32>',
        '  %w2 = nn.param "fc2.w" xavier_uniform seed = 2 : tensor<512x256xf32>',
        '  %b2 = nn.param "fc2.b" zeros : tensor<256xf32>',
        '  %w3 = nn.param "fc3.w" xavier_uniform seed = 3 : tensor<256x10xf32>',
        '  %b3 = nn.param "fc3.b" zeros : tensor<10xf32>',
        f'  %0 = nn.matmul %x, %w1 : tensor<{b}x784xf32>, tensor<784x512xf32>',
        f'  %1 = nn.add %0, %b1 : tensor<{b}x512xf32>, tensor<512xf32>',
        f'  %2 = nn.relu %1 : tensor<{b}x512xf32>',
        f'  %3 = nn.matmul %2, %w2 : tensor<{b}x512xf32>, tensor<512x256xf32>',
        f'  %4 = nn.add %3, %b2 : tensor<{b}x256xf32>, tensor<256xf32>',
        f'  %5 = nn.relu %4 : tensor<{b}x256xf32>',
        f'  %6 = nn.matmul %5, %w3 : tensor<{b}x256xf32>, tensor<256x10xf32>',
        f'  %logits = nn.add %6, %b3 : tensor<{b}x10xf32>, tensor<10xf32>',
    ]


def _lenet_layers(b, lines):
    lines += [
        '  %c1w = nn.param "conv1.w" he_uniform seed = 1 : tensor<6x1x5x5xf32>',
        '  %c1b = nn.param "conv1.b" zeros : tensor<6xf32>',
        '  %c2w = nn.param "conv2.w" he_uniform seed = 2 : tensor<16x6x5x5xf32>',
        '  %c2b = nn.param "conv2.b" zeros : tensor<16xf32>',
        '  %f1w = nn.param "fc1.w" he_uniform seed = 3 : tensor<400x120xf32>',
        '  %f1b = nn.param "fc1.b" zeros : tensor<120xf32>',
        '  %f2w = nn.param "fc2.w" he_uniform seed = 4 : tensor<120x84xf32>',
        '  %f2b = nn.param "fc2.b" zeros : tensor<84xf32>',
        '  %f3w = nn.param "fc3.w" xavier_uniform seed = 5 : tensor<84x10xf32>',
        '  %f3b = nn.param "fc3.b" zeros : tensor<10xf32>',
        f'  %0 = nn.conv2d %x, %c1w, %c1b padding = [2, 2] : '
        f'tensor<{b}x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>',
        f'  %1 = nn.relu %0 : tensor<{b}x6x28x28xf32>',
        f'  %2 = nn.max_pool2d %1 kernel = [2, 2] : tensor<{b}x6x28x28xf32>',
        f'  %3 = nn.conv2d %2, %c2w, %c2b : tensor<{b}x6x14x14xf32>, '
        f'tensor<16x6x5x5xf32>, tensor<16xf32>',
        f'  %4 = nn.relu %3 : tensor<{b}x16x10x10xf32>',
        f'  %5 = nn.max_pool2d %4 kernel = [2, 2] : tensor<{b}x16x10x10xf32>',
        f'  %6 = nn.flatten %5 : tensor<{b}x16x5x5xf32>',
        f'  %7 = nn.matmul %6, %f1w : tensor<{b}x400xf32>, tensor<400x120xf32>',
        f'  %8 = nn.add %7, %f1b : tensor<{b}x120xf32>, tensor<120xf32>',
        f'  %9 = nn.relu %8 : tensor<{b}x120xf32>',
        f'  %10 = nn.matmul %9, %f2w : tensor<{b}x120xf32>, tensor<120x84xf32>',
        f'  %11 = nn.add %10, %f2b : tensor<{b}x84xf32>, tensor<84xf32>',
        f'  %12 = nn.relu %11 : tensor<{b}x84xf32>',
        f'  %13 = nn.matmul %12, %f3w : tensor<{b}x84xf32>, tensor<84x10xf32>',
        f'  %logits = nn.add %13, %f3b : tensor<{b}x10xf32>, tensor<10xf32>',
    ]


def _lstm_layers(p, lines):
    b, t, i, h = p["batch"], p["seq"], p["input"], p["hidden"]
    bound = f"{{low = {-h ** -0.5!r} : f64, high = {h ** -0.5!r} : f64}}"
    for n, (name, shape) in enumerate([("weight_ih", f"{4 * h}x{i}"),
                                       ("weight_hh", f"{4 * h}x{h}"),
                                       ("bias_ih", f"{4 * h}"),
                                       ("bias_hh", f"{4 * h}")]):
        lines.append(f'  %{name} = nn.param "lstm.{name}" uniform seed = '
                     f'{n + 1} {bound} : tensor<{shape}xf32>')
    lines += [
        f'  %w = nn.param "fc.w" xavier_uniform seed = 5 : tensor<{h}x10xf32>',
        '  %b = nn.param "fc.b" zeros : tensor<10xf32>',
        f'  %h = nn.lstm %x, %weight_ih, %weight_hh, %bias_ih, %bias_hh : '
        f'tensor<{b}x{t}x{i}xf32>, tensor<{4 * h}x{i}xf32>, '
        f'tensor<{4 * h}x{h}xf32>, tensor<{4 * h}xf32>, tensor<{4 * h}xf32> '
        f'-> tensor<{b}x{t}x{h}xf32>',
        f'  %last = nn.slice %h offsets = [0, {t - 1}, 0] sizes = [{b}, 1, '
        f'{h}] strides = [1, 1, 1] : tensor<{b}x{t}x{h}xf32>',
        f'  %hT = nn.reshape %last : tensor<{b}x1x{h}xf32> -> '
        f'tensor<{b}x{h}xf32>',
        f'  %0 = nn.matmul %hT, %w : tensor<{b}x{h}xf32>, tensor<{h}x10xf32>',
        f'  %logits = nn.add %0, %b : tensor<{b}x10xf32>, tensor<10xf32>',
    ]


def kiln_model(name):
    """Returns (MLIR text, entry point) of the workload's Kiln model."""
    kind, _, p = WORKLOADS[name]
    if kind == "matmul":
        n = p["n"]
        return (f"func.func @product(%a: tensor<{n}x{n}xf32>, "
                f"%b: tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32> {{\n"
                f"  %p = nn.matmul %a, %b : tensor<{n}x{n}xf32>, "
                f"tensor<{n}x{n}xf32>\n"
                f"  return %p : tensor<{n}x{n}xf32>\n}}\n", "product")
    b = p["batch"]
    if name.startswith("lenet"):
        xtype = f"tensor<{b}x1x28x28xf32>"
    elif name.startswith("lstm"):
        xtype = f"tensor<{b}x{p['seq']}x{p['input']}xf32>"
    else:
        xtype = f"tensor<{b}x784xf32>"
    lines = []
    if kind == "infer":
        lines.append(f"func.func @model(%x: {xtype}) -> tensor<{b}x10xf32> {{")
    else:
        opt = ('optimizer = "adam", lr = 1.0e-3' if p.get("opt") == "adam"
               else 'optimizer = "sgd", lr = 1.0e-2')
        lines.append(f"func.func @model(%x: {xtype}, %y: tensor<{b}xi64>) -> "
                     f"tensor<f32> attributes {{nn.train = {{{opt}}}}} {{")
    if name.startswith("lenet"):
        _lenet_layers(b, lines)
    elif name.startswith("lstm"):
        _lstm_layers(p, lines)
    else:
        _mlp_layers(b, lines)
    if kind == "infer":
        lines.append(f"  return %logits : tensor<{b}x10xf32>")
        entry = "model"
    else:
        lines.append(f"  %loss = nn.cross_entropy %logits, %y : "
                     f"tensor<{b}x10xf32>, tensor<{b}xi64>")
        lines.append("  return %loss : tensor<f32>")
        entry = "model_train_step"
    lines.append("}")
    return "\n".join(lines) + "\n", entry


def torch_callable(name):
    """Inside the PyTorch process: a no-argument callable running one call
    of the workload."""
    import torch
    from torch import nn
    kind, _, p = WORKLOADS[name]
    if kind == "matmul":
        n = p["n"]
        a, b = torch.rand(n, n), torch.rand(n, n)
        return lambda: a @ b
    batch = p["batch"]
    if name.startswith("lenet"):
        model = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10))
        x = torch.rand(batch, 1, 28, 28)
    elif name.startswith("lstm"):
        class Last(nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = nn.LSTM(p["input"], p["hidden"], batch_first=True)
                self.fc = nn.Linear(p["hidden"], 10)

            def forward(self, x):
                return self.fc(self.lstm(x)[0][:, -1])
        model = Last()
        x = torch.rand(batch, p["seq"], p["input"])
    else:
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(),
                              nn.Linear(512, 256), nn.ReLU(),
                              nn.Linear(256, 10))
        x = torch.rand(batch, 784)
    if kind == "infer":
        model.eval()

        def infer():
            with torch.no_grad():
                return model(x)
        return infer
    y = torch.randint(0, 10, (batch,))
    opt = (torch.optim.Adam(model.parameters(), lr=1e-3)
           if p.get("opt") == "adam"
           else torch.optim.SGD(model.parameters(), lr=1e-2))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    return step
