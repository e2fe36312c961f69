#!/usr/bin/env python3
"""PyTorch's own gradient/forward ratios for the two models of `./glassbox-bench engine`, on this machine.

Issue 2 sets its goals against PyTorch ("PyTorch's own ratio is about 2.2"). This script rebuilds the
shipped seed 000 MLP and jet-image CNN in PyTorch from their ONNX weights and times, in one process,
with the same batches and thread count, the forward pass and the input gradient of the output (one
backward pass), so that Glassbox's ratios can be set beside PyTorch's on the same machine. Absolute times say little
unless this PyTorch is built with an optimised BLAS (Debian's python3-torch uses a generic one, so
its dense layers are many times slower than ONNX Runtime's; the script says which it has).

Run (Debian: apt-get install python3-torch python3-onnx):
    /usr/bin/python3 benchmarks/pytorch/engine_reference.py [threads]
Not part of the build; CI and users never need Python.
"""
import sys
import time

import onnx
import torch
from onnx import numpy_helper

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(THREADS)
MODELS = "examples/models/"


def weights(file):
    m = onnx.load(MODELS + file)
    return m, {i.name: torch.tensor(numpy_helper.to_array(i)) for i in m.graph.initializer}


def mlp():
    m, w = weights("seed000_mlp.onnx")
    layers = []
    for node in m.graph.node:
        if node.op_type == "Gemm":
            weight, bias = w[node.input[1]], w[node.input[2]]
            lin = torch.nn.Linear(weight.shape[1], weight.shape[0])
            lin.weight.data, lin.bias.data = weight.clone(), bias.clone()
            layers.append(lin)
        elif node.op_type == "LeakyRelu":
            layers.append(torch.nn.LeakyReLU(onnx.helper.get_attribute_value(node.attribute[0])))
        elif node.op_type == "Tanh":
            layers.append(torch.nn.Tanh())
        else:
            raise SystemExit("unexpected operator " + node.op_type)
    return torch.nn.Sequential(*layers), (100_000, 19)


def cnn():
    _, w = weights("jet_cnn32.onnx")
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(512, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1), torch.nn.Sigmoid())
    net.load_state_dict(w)
    return net, (2_000, 1, 32, 32)


def ratio(label, net, shape, channels_last=False):
    net.eval()
    for p in net.parameters():
        p.requires_grad_(False)
    x = torch.rand(*shape) * 2 - 1
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)

    def forward():
        with torch.no_grad():
            return net(x)

    def gradient():
        xx = x.clone().requires_grad_(True)
        return torch.autograd.grad(net(xx).sum(), xx)[0]

    tf, tg = [], []
    for _ in range(9):  # interleaved, medians, as the Java benchmark does
        t0 = time.perf_counter()
        forward()
        t1 = time.perf_counter()
        gradient()
        t2 = time.perf_counter()
        tf.append(t1 - t0)
        tg.append(t2 - t1)
    f, g = sorted(tf)[4], sorted(tg)[4]
    print(f"PyTorch {torch.__version__} gradient/forward  {label:40s} batch {shape[0]:>7,}: "
          f"forward {f * 1e3:8.2f} ms, gradient {g * 1e3:8.2f} ms, ratio {g / f:.2f}")


if __name__ == "__main__":
    config = torch.__config__.show()
    blas = next((part.split("=")[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "?")
    print(f"PyTorch reference for ./glassbox-bench engine ({THREADS} threads; BLAS {blas}, oneDNN"
          f" {'on' if torch.backends.mkldnn.is_available() else 'off'})")
    if blas == "generic":
        print("  (a generic BLAS: absolute times are far from an MKL or OpenBLAS build's; the ratios are what to compare)")
    ratio("seed 000 MLP, 19 inputs, 11 hidden layers", *mlp())
    ratio("jet-image CNN, 1x32x32", *cnn())
    ratio("jet-image CNN, 1x32x32, channels-last", *cnn(), channels_last=True)
