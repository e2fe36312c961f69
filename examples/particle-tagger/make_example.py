#!/usr/bin/python3
"""Builds the particle-tagger example shipped with Glassbox: a small ParticleNet-style tagger with
THREE inputs (points, features, mask) trained on toy two-prong vs one-prong jets.

Rerun from this folder (deterministic, about 1-2 minutes on one CPU core; overwrites
particlenet.onnx and jets.npz):

    cd examples/particle-tagger
    /usr/bin/python3 make_example.py

Needs Debian's python3-torch (1.13) and python3-onnx (1.12); numpy comes with them. No GPU.

Toy jets (coordinates relative to the jet axis, so eta and phi are small offsets): a jet has
5..16 particles (5 + Poisson(6), capped), pt ~ 0.1 + Exp(1) each, sorted by pt descending and
zero-padded to P = 16 slots.
  signal (label 1), two-prong-like: two hard, narrow clusters (width U(0.05, 0.09)) separated
      by U(0.1, 0.5) in (eta, phi) in a random direction; the second prong takes a fraction
      z ~ U(0.2, 0.5) of the particles.
  background (label 0), one diffuse cluster of width U(0.07, 0.3); in 35% of the jets a softer
      second cluster (z ~ U(0.08, 0.3), same diffuse width) splits off, so some background
      looks two-pronged and the classes overlap (the trained AUC is well below 1).
The balance (about half signal) is random per event.

jets.npz (numpy.savez, uncompressed), 4000 held-out events never used in training:
  points    float32 [4000, 16, 2]  (eta, phi) per particle, 0 for padding
  features  float32 [4000, 16, 3]  (pt, eta, phi) per particle, 0 for padding
  mask      float32 [4000, 16, 1]  1 for a real particle, 0 for padding
  label     int64   [4000]         1 signal, 0 background

particlenet.onnx (opset 13, the architecture of the `particlenet` fixture in
engine/src/test/resources/fixtures/multi-input/make_multi_input.py): inputs points [N, 16, 2],
features [N, 16, 3], mask [N, 16, 1] (float32, batch axis dynamic), output "y" [N, 1], the signal
probability after a Sigmoid. One EdgeConv block: kNN (k = 4) in (eta, phi) via TopK of
-distance with padded particles pushed away by +1e4, self dropped, flat Gather of the
neighbours, edge MLP on [f_i, f_j - f_i, p_j - p_i], messages times the neighbour's mask, max
over neighbours, times the mask, masked mean pooling, MLP head, Sigmoid.

Training: 24000 generated events (not shipped), Adam (lr 3e-3, cosine decay), batch 128,
20 epochs, binary cross-entropy, torch.set_num_threads(1) for reproducibility.
Result of the run that wrote the shipped files: test AUC on jets.npz = 0.905 (the pt-weighted
jet width alone reaches 0.779 on the same events); about 70 s of training on one core.
"""
import io
import math
import os
import time

import numpy as np
import onnx
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
P = 16
F = 3
K = 4
N_TRAIN = 24000
N_TEST = 4000
EPOCHS = 20

torch.manual_seed(11)
torch.set_num_threads(1)
rng = np.random.default_rng(11)


def jets(n):
    """n toy jets: float32 [n, P, 3] (pt, eta, phi), zero-padded, and int64 labels [n]."""
    label = rng.integers(0, 2, size=n)
    x = np.zeros((n, P, F), np.float32)
    for e in range(n):
        m = int(min(5 + rng.poisson(6), P))
        pt = 0.1 + rng.exponential(1.0, size=m)
        two = label[e] == 1 or rng.uniform() < 0.35
        if label[e] == 1:
            sep, z, w = rng.uniform(0.1, 0.5), rng.uniform(0.2, 0.5), rng.uniform(0.05, 0.09)
        else:
            w = rng.uniform(0.07, 0.3)
            sep, z = (rng.uniform(0.1, 0.5), rng.uniform(0.08, 0.3)) if two else (0.0, 0.0)
        pos = rng.normal(0, w, size=(m, 2))
        if two:
            ang = rng.uniform(0, 2 * math.pi)
            c2 = np.array([math.cos(ang), math.sin(ang)]) * sep
            second = rng.uniform(size=m) < z
            pos[second] += c2 * (1 - z)
            pos[~second] -= c2 * z
        order = np.argsort(-pt)
        x[e, :m, 0] = pt[order]
        x[e, :m, 1:] = pos[order]
    return x, label.astype(np.int64)


def split(x):
    """The three model inputs from a particle array."""
    return np.ascontiguousarray(x[..., 1:3]), x, (x[..., :1] > 0).astype(np.float32)


class ParticleNet(nn.Module):
    def __init__(self, k=K, hidden=16):
        super().__init__()
        self.k = k
        self.edge = nn.Sequential(nn.Linear(2 * F + 2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(hidden, 16), nn.ReLU(), nn.Linear(16, 1))

    def neighbours(self, points, mask):
        d = ((points.unsqueeze(2) - points.unsqueeze(1)) ** 2).sum(-1)
        d = d + (1 - mask.transpose(1, 2)) * 1e4
        return (-d).topk(self.k + 1, dim=-1)[1][:, :, 1:]

    def forward(self, points, features, mask):
        idx = self.neighbours(points, mask)
        base = torch.arange(points.shape[0], device=points.device).view(-1, 1, 1) * P
        flat = (idx + base).reshape(-1)
        nf = features.reshape(-1, F)[flat].reshape(-1, P, self.k, F)
        npt = points.reshape(-1, 2)[flat].reshape(-1, P, self.k, 2)
        nm = mask.reshape(-1)[flat].reshape(-1, P, self.k, 1)
        cf = features.unsqueeze(2).expand(-1, -1, self.k, -1)
        cp = points.unsqueeze(2).expand(-1, -1, self.k, -1)
        e = torch.cat([cf, nf - cf, npt - cp], -1)
        m = self.edge(e) * nm
        h = m.amax(2) * mask
        pooled = h.sum(1) / mask.sum(1)
        return torch.sigmoid(self.head(pooled))


def auc(score, label):
    """Area under the ROC curve (Mann-Whitney), ties broken by order."""
    order = np.argsort(score, kind="stable")
    rank = np.empty(len(score))
    rank[order] = np.arange(1, len(score) + 1)
    npos = label.sum()
    nneg = len(label) - npos
    return (rank[label == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)


t0 = time.time()
x_train, y_train = jets(N_TRAIN)
x_test, y_test = jets(N_TEST)
train = [torch.from_numpy(a) for a in split(x_train)]
test = [torch.from_numpy(a) for a in split(x_test)]
target = torch.from_numpy(y_train.astype(np.float32))[:, None]
print("generated %d + %d jets in %.1f s" % (N_TRAIN, N_TEST, time.time() - t0))

model = ParticleNet()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
steps = EPOCHS * math.ceil(N_TRAIN / 128)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
t0 = time.time()
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(N_TRAIN)
    total = 0.0
    for s in range(0, N_TRAIN, 128):
        b = perm[s:s + 128]
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy(model(*[a[b] for a in train]), target[b])
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        p = model(*test).numpy()[:, 0]
    print("epoch %2d  train loss %.4f  test AUC %.4f  (%.0f s)" % (epoch + 1, total / N_TRAIN, auc(p, y_test),
                                                                 time.time() - t0))

model.eval()
with torch.no_grad():
    p = model(*test).numpy()[:, 0]
pt = x_test[..., 0]
centre = (pt[..., None] * x_test[..., 1:]).sum(1) / pt.sum(1)[:, None]
width = (((x_test[..., 1:] - centre[:, None]) ** 2).sum(-1) * pt).sum(1) / pt.sum(1)
print("test AUC of the trained particlenet on jets.npz: %.3f (pt-weighted jet width alone: %.3f)"
      % (auc(p, y_test), auc(-width, y_test)))

buf = io.BytesIO()
torch.onnx.export(model, tuple(a[:2] for a in test), buf, opset_version=13,
                  input_names=["points", "features", "mask"], output_names=["y"],
                  dynamic_axes={"points": {0: "batch"}, "features": {0: "batch"}, "mask": {0: "batch"},
                                "y": {0: "batch"}})
proto = onnx.load_from_string(buf.getvalue())
onnx.checker.check_model(proto, full_check=True)
onnx.save(proto, os.path.join(HERE, "particlenet.onnx"))
points, features, mask = split(x_test)
np.savez(os.path.join(HERE, "jets.npz"), points=points, features=features, mask=mask, label=y_test)
total = sum(os.path.getsize(os.path.join(HERE, f)) for f in ("particlenet.onnx", "jets.npz", "make_example.py"))
print("wrote particlenet.onnx (%d bytes), jets.npz (%d bytes); folder %d bytes"
      % (os.path.getsize(os.path.join(HERE, "particlenet.onnx")), os.path.getsize(os.path.join(HERE, "jets.npz")),
         total))
