#!/usr/bin/python3
"""Benchmark / example ONNX models with random weights.

Rerun (deterministic; overwrites the .onnx files in this folder):

    cd examples/models
    /usr/bin/python3 make_models.py

Written with torch 1.13 / onnx 1.12. Every model is exported with torch.onnx.export
at opset 13 from eval mode, input "x", output "y", dynamic batch axis 0 ("batch").
Weights are torch's default initialisation under a fixed torch.manual_seed per model:
they are NOT trained; the models exist for timing and shape coverage only.

  seed000_mlp.onnx  19 -> 128-64-32-16-16-8-8-4-4-2-2 (Linear + LeakyReLU(0.1) each)
                    -> Linear(2,1) -> Tanh   (architecture of seed 000's dilepton net)
  jet_cnn32.onnx    1x32x32 -> 3 x [Conv2d 3x3 pad 1 + ReLU + MaxPool2d(2)],
                    channels 1->16->32->32 -> Flatten (512) -> Linear(512,64) -> ReLU
                    -> Linear(64,1) -> Sigmoid
  mlp30_tanh.onnx   30 -> 64 -> 64 -> 64 (Tanh after each) -> Linear(64,1) -> Sigmoid
  mlp30_relu.onnx   same with ReLU hidden activations
"""

import io
import os

import onnx
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 13


def seed000_mlp():
    widths = [19, 128, 64, 32, 16, 16, 8, 8, 4, 4, 2, 2]
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [nn.Linear(a, b), nn.LeakyReLU(0.1)]
    layers += [nn.Linear(2, 1), nn.Tanh()]
    return nn.Sequential(*layers), (19,)


def jet_cnn32():
    layers = []
    for cin, cout in [(1, 16), (16, 32), (32, 32)]:
        layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    layers += [nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 1),
               nn.Sigmoid()]
    return nn.Sequential(*layers), (1, 32, 32)


def mlp30(act):
    def make():
        return nn.Sequential(nn.Linear(30, 64), act(), nn.Linear(64, 64), act(),
                             nn.Linear(64, 64), act(), nn.Linear(64, 1), nn.Sigmoid()), (30,)
    return make


MODELS = [
    ("seed000_mlp", seed000_mlp, 0),
    ("jet_cnn32", jet_cnn32, 1),
    ("mlp30_tanh", mlp30(nn.Tanh), 2),
    ("mlp30_relu", mlp30(nn.ReLU), 3),
]

for name, make, seed in MODELS:
    torch.manual_seed(seed)
    module, in_shape = make()
    module.eval()
    n_params = sum(p.numel() for p in module.parameters())
    buf = io.BytesIO()
    torch.onnx.export(module, torch.randn((2,) + in_shape), buf, opset_version=OPSET,
                      input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    proto = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(proto)
    path = os.path.join(HERE, name + ".onnx")
    onnx.save(proto, path)
    ops = sorted({n.op_type for n in proto.graph.node})
    print("%-12s params %6d  %7d bytes  ops: %s"
          % (name, n_params, os.path.getsize(path), " ".join(ops)))
