#!/usr/bin/python3
"""PyTorch twin of `./purifier bench engine`: the same zoo models, layer for layer, timed the same way.

Usage: engine_twin.py [model[:param=value,...] ...] [--batches N] [--threads T] [--json]

Models (parameter counts are printed and must equal the engine's):
  small-cnn        conv3x3(w)-ReLU-maxpool-conv3x3(2w)-ReLU-maxpool-fc(hidden)-ReLU-fc, same padding
                   params: width=32 hidden=128 batchNorm=false
  vgg-small        3 blocks x 2 conv3x3(+BN)+ReLU + maxpool, widths 32/64/128 x m, fc(hidden)-ReLU-fc
                   params: widthMultiplier=1.0 hidden=256 batchNorm=true
  preact-resnet18  BackdoorBench PreActResNet18, widths 64/128/256/512 x m
                   params: widthMultiplier=0.125

Protocol (as EngineBench): synthetic 1x28x28 pixels in [0, 1] normalised inside the model, 10 classes;
train = one SGD step (momentum 0.9, weight decay 5e-4, lr 0.01) on mean cross-entropy, batch 128, BN in train
mode; inference = logits in eval mode, batch 256, no autograd; input gradient = gradient of the mean
cross-entropy with respect to the input, eval mode, batch 128. 5 warm-up batches, then N timed batches.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

TRAIN_BATCH = 128
INFER_BATCH = 256
WARMUP = 5
MEAN, STD = 0.286, 0.353


def scaled(base, m):
    return max(1, int(round(base * m)))


class Normalize(nn.Module):
    def forward(self, x):
        return (x - MEAN) * (1.0 / STD)


class SmallCnn(nn.Module):
    def __init__(self, width=32, hidden=128, batchNorm=False, classes=10):
        super().__init__()
        w = width
        self.norm = Normalize()
        self.conv1 = nn.Conv2d(1, w, 3, padding=1, bias=not batchNorm)
        self.bn1 = nn.BatchNorm2d(w) if batchNorm else nn.Identity()
        self.conv2 = nn.Conv2d(w, 2 * w, 3, padding=1, bias=not batchNorm)
        self.bn2 = nn.BatchNorm2d(2 * w) if batchNorm else nn.Identity()
        self.fc1 = nn.Linear(2 * w * 7 * 7, hidden)
        self.fc2 = nn.Linear(hidden, classes)

    def forward(self, x):
        x = self.norm(x)
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


class VggSmall(nn.Module):
    def __init__(self, widthMultiplier=1.0, hidden=256, batchNorm=True, classes=10):
        super().__init__()
        layers = [Normalize()]
        cin, size = 1, 28
        for base in (32, 64, 128):
            out = scaled(base, widthMultiplier)
            for _ in range(2):
                layers.append(nn.Conv2d(cin, out, 3, padding=1, bias=not batchNorm))
                if batchNorm:
                    layers.append(nn.BatchNorm2d(out))
                layers.append(nn.ReLU())
                cin = out
            layers.append(nn.MaxPool2d(2))
            size //= 2
        layers += [nn.Flatten(), nn.Linear(cin * size * size, hidden), nn.ReLU(), nn.Linear(hidden, classes)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class PreActBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, planes, 1, stride, bias=False) if stride != 1 or cin != planes else None

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if self.shortcut is not None else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    def __init__(self, widthMultiplier=0.125, classes=10):
        super().__init__()
        self.norm = Normalize()
        cin = scaled(64, widthMultiplier)
        self.conv1 = nn.Conv2d(1, cin, 3, 1, 1, bias=False)
        stages = []
        for base, stride in zip((64, 128, 256, 512), (1, 2, 2, 2)):
            planes = scaled(base, widthMultiplier)
            stages.append(nn.Sequential(PreActBlock(cin, planes, stride), PreActBlock(planes, planes, 1)))
            cin = planes
        self.layers = nn.Sequential(*stages)
        self.linear = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.layers(self.conv1(self.norm(x)))
        return self.linear(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


MODELS = {"small-cnn": SmallCnn, "vgg-small": VggSmall, "preact-resnet18": PreActResNet18}


def parse_value(v):
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    try:
        return int(v)
    except ValueError:
        return float(v)


def build(spec):
    name, _, args = spec.partition(":")
    if name not in MODELS:
        raise SystemExit(f"engine_twin: unknown model '{name}' (known: {', '.join(MODELS)})")
    kwargs = {}
    for kv in filter(None, args.split(",")):
        k, _, v = kv.partition("=")
        kwargs[k] = parse_value(v)
    return MODELS[name](**kwargs)


def rate(batches, batch_size, step):
    for _ in range(WARMUP):
        step()
    t0 = time.perf_counter()
    for _ in range(batches):
        step()
    return batches * batch_size / (time.perf_counter() - t0)


def measure(spec, batches):
    torch.manual_seed(1)
    model = build(spec)
    params = sum(p.numel() for p in model.parameters())
    x = torch.rand(TRAIN_BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (TRAIN_BATCH,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

    def train():
        model.train()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        if not torch.isfinite(loss):
            raise RuntimeError("loss is not finite")

    xi = torch.rand(INFER_BATCH, 1, 28, 28)

    def infer():
        model.eval()
        with torch.no_grad():
            model(xi)

    def input_grad():
        model.eval()
        xg = x.clone().requires_grad_(True)
        loss = F.cross_entropy(model(xg), y)
        torch.autograd.grad(loss, xg)

    return {"model": spec, "params": params, "train": rate(batches, TRAIN_BATCH, train),
            "infer": rate(batches, INFER_BATCH, infer), "inputGrad": rate(batches, TRAIN_BATCH, input_grad)}


def main(argv):
    batches, threads, as_json, specs = 20, None, False, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        if a == "--batches":
            batches = int(argv[i + 1]); i += 1
        elif a == "--threads":
            threads = int(argv[i + 1]); i += 1
        elif a == "--json":
            as_json = True
        elif a.startswith("-"):
            raise SystemExit(f"engine_twin: unknown option '{a}' (see --help)")
        else:
            specs.append(a)
        i += 1
    if threads:
        torch.set_num_threads(threads)
    specs = specs or list(MODELS)
    rows = [measure(s, batches) for s in specs]
    if as_json:
        print(json.dumps({"threads": torch.get_num_threads(), "torch": torch.__version__, "rows": rows}))
    else:
        print(f"| model | params | train img/s | infer img/s | input-grad img/s |  (torch {torch.__version__}, "
              f"{torch.get_num_threads()} threads)")
        print("|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['model']} | {r['params']:,} | {r['train']:.0f} | {r['infer']:.0f} | {r['inputGrad']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
