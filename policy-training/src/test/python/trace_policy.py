#!/usr/bin/env python3
"""Traces a small policy with torch.jit.trace and writes what `optimus policy import` reads.

Writes OUT/model.pt (TorchScript), OUT/spec.json (the contract: docs/torchscript-policies.md) and
OUT/reference.json (one fixed observation and torch's own output for it, to compare the Java side with).

The module is called like a LeRobot policy wrapped for tracing: positional tensors in the spec's input
order, each with a batch dimension of 1 (state [1, S] float32, normalized; image [1, 3, H, W] float32
in [0, 1], normalized per channel), returning the normalized action chunk [1, T, A]. Inside, the
positional inputs become LeRobot's batch dict, as a select_action/predict_action_chunk wrapper does.

Two models:
  --mlp-weights FILE  this project's MLP policy (weights exported from a DJL run as JSON): Linear+ReLU
                      layers over the normalized state, output reshaped to [1, T, A];
  otherwise           a seeded random MLP over the state plus a tiny CNN over the head image.

Statistics come from a LeRobot-style stats.json (--stats): observation.state and action mean/std (and
min/max for --norm MIN_MAX).
"""
import argparse
import json
import math
import os

import torch
from torch import nn


class Inner(nn.Module):
    """Stands in for a LeRobot policy's network: takes the batch dict, returns normalized actions."""

    def __init__(self, state_dim, chunk, joints, hidden, layers, image_hw, weights, seed):
        super().__init__()
        torch.manual_seed(seed)
        self.chunk, self.joints = chunk, joints
        self.use_image = image_hw is not None
        mods, width = [], state_dim
        if weights is not None:
            specs = weights["layers"]
        else:
            specs = [None] * (layers + 1)
        if self.use_image:
            self.cnn = nn.Sequential(nn.Conv2d(3, 8, 5, stride=4), nn.ReLU(), nn.Conv2d(8, 8, 3, stride=2), nn.ReLU(),
                                     nn.AdaptiveAvgPool2d(1), nn.Flatten())
            width += 8
        for i, layer in enumerate(specs):
            out = chunk * joints if i == len(specs) - 1 else (hidden if layer is None else len(layer["bias"]))
            lin = nn.Linear(width, out)
            if layer is not None:
                w = torch.tensor(layer["weight"], dtype=torch.float32)
                b = torch.tensor(layer["bias"], dtype=torch.float32)
                assert tuple(w.shape) == (out, width), (w.shape, out, width)
                lin.weight.data.copy_(w)
                lin.bias.data.copy_(b)
            elif i == len(specs) - 1:
                lin.weight.data.mul_(0.1)  # a random policy that stays near the mean pose
            mods.append(lin)
            if i < len(specs) - 1:
                mods.append(nn.ReLU())
            width = out
        self.mlp = nn.Sequential(*mods)

    def forward(self, batch: dict):
        x = batch["observation.state"]
        if self.use_image:
            x = torch.cat([x, self.cnn(batch["observation.images.head"])], dim=1)
        return self.mlp(x).reshape(x.shape[0], self.chunk, self.joints)


class Traced(nn.Module):
    """The wrapper that is traced: positional tensors in, the action chunk out."""

    def __init__(self, inner, use_image):
        super().__init__()
        self.inner = inner
        self.use_image = use_image

    def forward(self, state, image=None):
        batch = {"observation.state": state}
        if self.use_image:
            batch["observation.images.head"] = image
        return self.inner(batch)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--joints", required=True, help="comma-separated joint names (state and action)")
    ap.add_argument("--stats", required=True, help="LeRobot-style stats.json with observation.state and action")
    ap.add_argument("--chunk", type=int, default=10)
    ap.add_argument("--fps", type=float, default=50)
    ap.add_argument("--image", help="HxW of the head-camera image input (random model only)")
    ap.add_argument("--image-stats", action="store_true", help="normalize the image with per-channel mean/std")
    ap.add_argument("--mlp-weights", help="JSON of this project's MLP weights (layers: weight [out, in], bias)")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-action-steps", type=int)
    ap.add_argument("--norm", choices=["MEAN_STD", "MIN_MAX"], default="MEAN_STD",
                    help="LeRobot normalization mode of observation.state and action")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    joints = a.joints.split(",")
    with open(a.stats) as f:
        stats = json.load(f)
    weights = None
    if a.mlp_weights:
        with open(a.mlp_weights) as f:
            weights = json.load(f)
    hw = tuple(int(v) for v in a.image.split("x")) if a.image else None
    inner = Inner(len(joints), a.chunk, len(joints), a.hidden, a.layers, hw, weights, a.seed)
    model = Traced(inner, hw is not None).eval()

    # the fixed observation: a deterministic pose around the mean and an image with structure
    s_mean = torch.tensor(stats["observation.state"]["mean"], dtype=torch.float32)
    s_std = torch.tensor(stats["observation.state"]["std"], dtype=torch.float32)
    q = s_mean + 0.5 * s_std * torch.sin(torch.arange(len(joints), dtype=torch.float32))
    if a.norm == "MEAN_STD":
        state = ((q - s_mean) / (s_std + 1e-8)).unsqueeze(0)
    else:  # LeRobot's MIN_MAX: to [-1, 1]
        s_min = torch.tensor(stats["observation.state"]["min"], dtype=torch.float32)
        s_max = torch.tensor(stats["observation.state"]["max"], dtype=torch.float32)
        state = ((q - s_min) / (s_max - s_min + 1e-8) * 2 - 1).unsqueeze(0)
    inputs = [state]
    image = None
    if hw is not None:
        h, w = hw
        yy, xx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
        image = torch.stack([(xx * 7 + yy * 3) % 256, (xx * 2 + yy * 5 + 60) % 256, (xx * yy) % 256]).to(torch.uint8)
        img = image.to(torch.float32) / 255.0
        if a.image_stats:
            img_mean = torch.tensor(stats["observation.images.head"]["mean"], dtype=torch.float32).reshape(3, 1, 1)
            img_std = torch.tensor(stats["observation.images.head"]["std"], dtype=torch.float32).reshape(3, 1, 1)
            img = (img - img_mean) / (img_std + 1e-8)
        inputs.append(img.unsqueeze(0))

    with torch.no_grad():
        traced = torch.jit.trace(model, tuple(inputs))
        traced.save(os.path.join(a.out, "model.pt"))
        out = traced(*inputs)
        eager = model(*inputs)
    assert torch.allclose(out, eager), "trace differs from the eager module"
    if a.norm == "MEAN_STD":
        a_mean = torch.tensor(stats["action"]["mean"], dtype=torch.float32)
        a_std = torch.tensor(stats["action"]["std"], dtype=torch.float32)
        actions = out[0] * a_std + a_mean
    else:
        a_min = torch.tensor(stats["action"]["min"], dtype=torch.float32)
        a_max = torch.tensor(stats["action"]["max"], dtype=torch.float32)
        actions = (out[0] + 1) / 2 * (a_max - a_min) + a_min

    spec_inputs = [{"name": "observation.state", "dtype": "float32", "shape": [len(joints)], "names": joints}]
    modes = {"observation.state": a.norm, "action": a.norm}
    if hw is not None:
        spec_inputs.append({"name": "observation.images.head", "dtype": "float32", "shape": [3, hw[0], hw[1]]})
        modes["observation.images.head"] = "MEAN_STD" if a.image_stats else "IDENTITY"
    spec = {
        "inputs": spec_inputs,
        "output": {"name": "action", "dtype": "float32", "shape": [a.chunk, len(joints)], "names": joints},
        "normalization": modes,
        "stats": "stats.json",
        "fps": a.fps,
        "execution": {"n_action_steps": a.n_action_steps} if a.n_action_steps else {"temporal_ensemble_decay": -0.05},
    }
    with open(os.path.join(a.out, "spec.json"), "w") as f:
        json.dump(spec, f, indent=1)
    with open(os.path.join(a.out, "stats.json"), "w") as f:
        json.dump(stats, f)
    ref = {"q": q.tolist(), "output": out[0].reshape(-1).tolist(), "actions": actions.reshape(-1).tolist(),
           "torch": torch.__version__}
    if image is not None:
        ref["image_chw_uint8"] = image.reshape(-1).tolist()
    with open(os.path.join(a.out, "reference.json"), "w") as f:
        json.dump(ref, f)
    print(json.dumps({"out": a.out, "torch": torch.__version__, "params": sum(p.numel() for p in model.parameters())}))


if __name__ == "__main__":
    main()
