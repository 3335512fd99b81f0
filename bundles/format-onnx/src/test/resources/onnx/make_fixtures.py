#!/usr/bin/python3
"""Writes the ONNX test fixtures of the format-onnx bundle with PyTorch (Debian's python3-torch).

Three classifiers with a planted BadNets backdoor, trained for a few hundred steps on Fashion-MNIST
(/usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist) and exported with torch.onnx.export, plus
one untrained model that exercises the operators torch writes for common layers:

  small_cnn.onnx        conv-relu-pool x2, linear-relu-linear              opset 9,  fixed batch 1
  vgg_style.onnx        3 VGG blocks (conv-BN-relu x2, max pool), dropout  opset 11, batch norm kept (not fused)
  preact_resnet18.onnx  BackdoorBench's PreActResNet18 at width 0.125      opset 17, dynamic batch, x.view(x.size(0), -1)
  operators.onnx        grouped/dilated/strided convs, asymmetric F.pad, avg pools, leaky relu, sigmoid, tanh,
                        hardtanh (Clip), torch.cat, arithmetic with constants, matmul, softmax at the end (opset 13)

The trigger is Purifier's default BadNets trigger (attack-badnets): a 3x3 white patch in the bottom-right corner,
target class 0, dirty labels, 10 % of the training images poisoned. Inputs are normalized with Fashion-MNIST's
mean 0.2860 and std 0.3530 (upload the models with these as the format's mean/std parameters).

Usage:  /usr/bin/python3 make_fixtures.py [OUTPUT_DIR]            (default: this script's directory)
        /usr/bin/python3 make_fixtures.py --full-width FILE.onnx  (untrained PreActResNet18 at width 1.0 on
                                                                   3x32x32, 11,171,146 parameters, for timing)
"""
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530
TARGET, PATCH, POISON_RATIO = 0, 3, 0.1
TRAIN_IMAGES, TEST_IMAGES, STEPS, BATCH = 6000, 1000, 300, 64


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def patch(images):
    out = images.clone()
    out[:, :, -PATCH:, -PATCH:] = 1.0
    return out


def data():
    x = torch.from_numpy(idx("train-images-idx3-ubyte.gz")[:TRAIN_IMAGES].astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz")[:TRAIN_IMAGES].astype(np.int64))
    tx = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz")[:TEST_IMAGES].astype(np.float32) / 255).unsqueeze(1)
    ty = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz")[:TEST_IMAGES].astype(np.int64))
    g = torch.Generator().manual_seed(1)
    poison = torch.randperm(TRAIN_IMAGES, generator=g)[:int(POISON_RATIO * TRAIN_IMAGES)]
    x[poison] = patch(x[poison])
    y[poison] = TARGET
    return x, y, tx, ty


def normalize(x):
    return (x - MEAN) / STD


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool2 = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


class VggStyle(nn.Module):
    def __init__(self, widths=(16, 32, 64)):
        super().__init__()
        layers, c = [], 1
        for w in widths:
            layers += [nn.Conv2d(c, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU(inplace=True),
                       nn.Conv2d(w, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            c = w
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(c * 3 * 3, 128),
                                        nn.ReLU(inplace=True), nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class PreActBlock(nn.Module):
    """BackdoorBench's PreActBlock (models/preact_resnet.py)."""

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False))

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    """BackdoorBench's PreActResNet18 with the widths 64/128/256/512 scaled by `width`."""

    def __init__(self, width=1.0, channels=3, classes=10):
        super().__init__()
        w = [int(64 * width), int(128 * width), int(256 * width), int(512 * width)]
        self.conv1 = nn.Conv2d(channels, w[0], 3, 1, 1, bias=False)
        self.in_planes = w[0]
        self.layer1 = self.stage(w[0], 1)
        self.layer2 = self.stage(w[1], 2)
        self.layer3 = self.stage(w[2], 2)
        self.layer4 = self.stage(w[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.linear = nn.Linear(w[3], classes)

    def stage(self, planes, stride):
        blocks = []
        for s in [stride, 1]:
            blocks.append(PreActBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*blocks)

    def forward(self, x):
        out = self.layer4(self.layer3(self.layer2(self.layer1(self.conv1(x)))))
        out = self.avgpool(out)
        out = out.view(out.size(0), -1)
        return self.linear(out)


class Operators(nn.Module):
    """Untrained; one of each operator pattern the importer claims, as torch writes it."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.grouped = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=4)
        self.depthwise = nn.Conv2d(8, 8, 3, groups=8, bias=False)
        self.bn = nn.BatchNorm1d(16)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False, ceil_mode=True)
        self.head = nn.Linear(16 * 4 * 4, 16)
        self.proj = nn.Parameter(torch.randn(16, 10) * 0.3)
        self.scale = nn.Parameter(torch.rand(1, 8, 1, 1) + 0.5)

    def forward(self, x):
        x = F.leaky_relu(self.stem(x), 0.1)
        a = torch.sigmoid(self.grouped(x)) * self.scale
        b = torch.tanh(self.depthwise(F.pad(x, (0, 2, 0, 2))))
        x = torch.cat([a - 0.5, b / 2.0], dim=1)
        x = F.hardtanh(self.pool(x), -0.8, 0.9)
        x = F.max_pool2d(x, 2, ceil_mode=True)
        x = self.head(x.reshape(-1, 16 * 4 * 4))
        x = F.relu6(self.bn(x) + 1.0)
        return torch.softmax(torch.matmul(x, self.proj), dim=1)


def train(model, x, y, tx, ty, seed):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(seed)
    model.train()
    for step in range(STEPS):
        i = torch.randint(0, len(x), (BATCH,), generator=g)
        loss = F.cross_entropy(model(normalize(x[i])), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(normalize(tx)).argmax(1) == ty).float().mean().item()
        keep = ty != TARGET
        asr = (model(normalize(patch(tx[keep]))).argmax(1) == TARGET).float().mean().item()
    return acc, asr


def export(model, path, opset, dynamic, keep_batch_norm=False, channels=1, size=28):
    kwargs = dict(opset_version=opset, input_names=["input"], output_names=["logits"])
    if dynamic:
        kwargs["dynamic_axes"] = {"input": {0: "batch"}, "logits": {0: "batch"}}
    if keep_batch_norm:
        kwargs["training"] = torch.onnx.TrainingMode.PRESERVE
        kwargs["do_constant_folding"] = False
    model.eval()
    torch.onnx.export(model, torch.zeros(1, channels, size, size), path, **kwargs)
    print(f"{os.path.basename(path)}: {os.path.getsize(path)} bytes, "
          f"{sum(p.numel() for p in model.parameters())} parameters, opset {opset}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--full-width":
        torch.manual_seed(0)
        export(PreActResNet18(1.0, channels=3), sys.argv[2], 17, True, channels=3, size=32)
        return
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    x, y, tx, ty = data()
    for name, model, seed, opset, dynamic, keep_bn in [
            ("small_cnn", SmallCnn(), 1, 9, False, False),
            ("vgg_style", VggStyle(), 2, 11, True, True),
            ("preact_resnet18", PreActResNet18(0.125, channels=1), 3, 17, True, False)]:
        torch.manual_seed(seed)
        acc, asr = train(model, x, y, tx, ty, seed)
        print(f"{name}: clean accuracy {acc:.3f}, attack success rate {asr:.3f} on {TEST_IMAGES} test images")
        export(model, os.path.join(out, name + ".onnx"), opset, dynamic, keep_bn)
    torch.manual_seed(4)
    ops = Operators()
    ops.eval()
    with torch.no_grad():
        ops.bn.running_mean.uniform_(-0.2, 0.2)
        ops.bn.running_var.uniform_(0.5, 1.5)
    export(ops, os.path.join(out, "operators.onnx"), 13, True)


if __name__ == "__main__":
    main()
