"""Builds the product-sign example (seed 000 §2.5.1) shipped with Glassbox.

Events: x, y uniform in [-1, 1]; signal (label 1) where x*y > 0. A third input, `noise`, is
uniform and unrelated to the label: every attribution method should rank it last. Weights are 1
except that background events with x > 0.5 weigh 2 (to exercise weighting).

A small MLP (3 -> 16 -> 16 -> 1, tanh hidden, sigmoid output) is trained with PyTorch and
exported to ONNX (opset 13). Writes product_sign.onnx and product_sign.csv (2,000 events).

Rerun from this folder: /usr/bin/python3 make_example.py (needs Debian's python3-torch).
"""
import numpy as np
import torch

torch.manual_seed(7)
rng = np.random.default_rng(7)
n_train, n_out = 20000, 2000

def sample(n):
    x = rng.uniform(-1, 1, size=(n, 3)).astype(np.float32)
    label = (x[:, 0] * x[:, 1] > 0).astype(np.float32)
    return x, label

xt, yt = sample(n_train)
model = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                            torch.nn.Linear(16, 1), torch.nn.Sigmoid())
opt = torch.optim.Adam(model.parameters(), lr=0.01)
X, Y = torch.from_numpy(xt), torch.from_numpy(yt)[:, None]
for epoch in range(400):
    opt.zero_grad()
    loss = torch.nn.functional.binary_cross_entropy(model(X), Y)
    loss.backward()
    opt.step()
model.eval()

x, label = sample(n_out)
with torch.no_grad():
    p = model(torch.from_numpy(x)).numpy()[:, 0]
acc = ((p > 0.5) == (label > 0.5)).mean()
print(f"final training loss {loss.item():.4f}, accuracy on the shipped events {acc:.3f}")
weight = np.where((label == 0) & (x[:, 0] > 0.5), 2.0, 1.0)

torch.onnx.export(model, torch.zeros(1, 3), "product_sign.onnx", input_names=["x"], output_names=["p_signal"],
                  dynamic_axes={"x": {0: "batch"}, "p_signal": {0: "batch"}}, opset_version=13)
with open("product_sign.csv", "w") as f:
    f.write("x,y,noise,label,weight\n")
    for i in range(n_out):
        f.write(f"{x[i,0]:.6f},{x[i,1]:.6f},{x[i,2]:.6f},{int(label[i])},{weight[i]:.1f}\n")
