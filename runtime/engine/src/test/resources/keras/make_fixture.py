#!/usr/bin/python3
"""Writes small Keras-2-format (HDF5) Sequential classifiers by hand with h5py, plus reference logits computed
with numpy, for the engine's Keras import tests. Run from this directory with Debian's python3 (python3-h5py,
python3-numpy): /usr/bin/python3 make_fixture.py

Files written:
  tiny_cnn.h5          Conv2D(4, 3x3, same) - BatchNormalization - Activation(relu) - MaxPooling2D(2)
                       - Conv2D(6, 3x3, valid, relu) - Flatten - Dense(8, relu) - Dense(3, softmax); input 8x8x1
  tiny_cnn_inputs.csv  5 inputs, one per line, 64 pixels each in row-major (h, w) order
  tiny_cnn_logits.csv  the pre-softmax outputs of those inputs, one line of 3 values per input
  lstm.h5              a Sequential model with an LSTM layer (unsupported by the import)
"""
import json

import h5py
import numpy as np

rng = np.random.default_rng(20261122)


def init(kind):
    return {"class_name": kind, "config": {"seed": None}}


def conv_cfg(name, filters, padding, activation):
    return {"class_name": "Conv2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": [3, 3],
        "strides": [1, 1], "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1],
        "groups": 1, "activation": activation, "use_bias": True, "kernel_initializer": init("GlorotUniform"),
        "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}


def dense_cfg(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
        "use_bias": True, "kernel_initializer": init("GlorotUniform"), "bias_initializer": init("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def input_cfg(shape):
    return {"class_name": "InputLayer", "config": {
        "batch_input_shape": [None] + list(shape), "dtype": "float32", "sparse": False, "ragged": False,
        "name": "input_1"}}


def write_model(path, layers, weights):
    """weights: list of (layer name, [(weight name, array)]) in layer order."""
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.4.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(config)
        mw = f.create_group("model_weights")
        mw.attrs["keras_version"] = "2.4.0"
        mw.attrs["backend"] = "tensorflow"
        mw.attrs["layer_names"] = np.array([name.encode() for name, _ in weights])
        for name, ws in weights:
            g = mw.create_group(name)
            g.attrs["weight_names"] = np.array([("%s/%s" % (name, w)).encode() for w, _ in ws])
            if ws:
                inner = g.create_group(name)
                for w, arr in ws:
                    inner.create_dataset(w, data=arr.astype(np.float32))


def conv2d(x, k, b, padding):
    """x [N, H, W, C], k [kh, kw, in, out] (cross-correlation, stride 1)."""
    kh, kw = k.shape[0], k.shape[1]
    if padding == "same":
        x = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    n, h, w, _ = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    y = np.zeros((n, oh, ow, k.shape[3]))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nhwc,co->nhwo", x[:, i:i + oh, j:j + ow, :], k[i, j])
    return y + b


def max_pool2(x):
    n, h, w, c = x.shape
    return x[:, :h // 2 * 2, :w // 2 * 2, :].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def relu(x):
    return np.maximum(x, 0.0)


def f32(shape, scale):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


k1, b1 = f32((3, 3, 1, 4), 0.5), f32((4,), 0.1)
gamma, beta = (1.0 + f32((4,), 0.2)), f32((4,), 0.1)
mmean, mvar = f32((4,), 0.3), (0.5 + rng.random(4)).astype(np.float32)
eps = 0.001
k2, b2 = f32((3, 3, 4, 6), 0.3), f32((6,), 0.1)
w3, b3 = f32((24, 8), 0.3), f32((8,), 0.1)
w4, b4 = f32((8, 3), 0.5), f32((3,), 0.1)

bn_cfg = {"class_name": "BatchNormalization", "config": {
    "name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [3], "momentum": 0.99,
    "epsilon": eps, "center": True, "scale": True, "beta_initializer": init("Zeros"),
    "gamma_initializer": init("Ones"), "moving_mean_initializer": init("Zeros"),
    "moving_variance_initializer": init("Ones"), "beta_regularizer": None, "gamma_regularizer": None,
    "beta_constraint": None, "gamma_constraint": None}}
layers = [
    input_cfg([8, 8, 1]),
    conv_cfg("conv2d", 4, "same", "linear"),
    bn_cfg,
    {"class_name": "Activation", "config": {"name": "activation", "trainable": True, "dtype": "float32",
                                            "activation": "relu"}},
    {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "trainable": True, "dtype": "float32",
                                              "pool_size": [2, 2], "padding": "valid", "strides": [2, 2],
                                              "data_format": "channels_last"}},
    conv_cfg("conv2d_1", 6, "valid", "relu"),
    {"class_name": "Flatten", "config": {"name": "flatten", "trainable": True, "dtype": "float32",
                                         "data_format": "channels_last"}},
    dense_cfg("dense", 8, "relu"),
    dense_cfg("dense_1", 3, "softmax"),
]
weights = [
    ("conv2d", [("kernel:0", k1), ("bias:0", b1)]),
    ("batch_normalization", [("gamma:0", gamma), ("beta:0", beta), ("moving_mean:0", mmean),
                             ("moving_variance:0", mvar)]),
    ("activation", []),
    ("max_pooling2d", []),
    ("conv2d_1", [("kernel:0", k2), ("bias:0", b2)]),
    ("flatten", []),
    ("dense", [("kernel:0", w3), ("bias:0", b3)]),
    ("dense_1", [("kernel:0", w4), ("bias:0", b4)]),
]
write_model("tiny_cnn.h5", layers, weights)

x = rng.random((5, 8, 8, 1)).astype(np.float32)
d = lambda a: a.astype(np.float64)
h = conv2d(d(x), d(k1), d(b1), "same")
h = (h - d(mmean)) / np.sqrt(d(mvar) + eps) * d(gamma) + d(beta)
h = max_pool2(relu(h))
h = relu(conv2d(h, d(k2), d(b2), "valid"))
h = h.reshape(5, -1)  # Keras Flatten on channels_last: (h, w, c) order
h = relu(h @ d(w3) + d(b3))
logits = h @ d(w4) + d(b4)
np.savetxt("tiny_cnn_inputs.csv", x.reshape(5, 64), delimiter=",", fmt="%.9g")
np.savetxt("tiny_cnn_logits.csv", logits, delimiter=",", fmt="%.9g")

lstm_layers = [input_cfg([8, 8]), {"class_name": "LSTM", "config": {
    "name": "lstm", "trainable": True, "dtype": "float32", "return_sequences": False, "return_state": False,
    "go_backwards": False, "stateful": False, "unroll": False, "time_major": False, "units": 3,
    "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
    "kernel_initializer": init("GlorotUniform"), "recurrent_initializer": init("Orthogonal"),
    "bias_initializer": init("Zeros"), "unit_forget_bias": True, "kernel_regularizer": None,
    "recurrent_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
    "kernel_constraint": None, "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0,
    "recurrent_dropout": 0.0, "implementation": 2}}]
write_model("lstm.h5", lstm_layers, [("lstm", [("kernel:0", f32((8, 12), 0.3)),
                                               ("recurrent_kernel:0", f32((3, 12), 0.3)),
                                               ("bias:0", f32((12,), 0.1))])])
