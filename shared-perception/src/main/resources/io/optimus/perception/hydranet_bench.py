"""The optimus HydraNet (ResNet-18/34 + FPN + vehicle and robot heads) in plain PyTorch, for `optimus bench
perception`: the same layers, shapes, batch and thread count as the DJL net, timed the same way.
Prints one JSON object on stdout. Usage: python3 hydranet_bench.py JSON_ARGS"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.proj is None else self.proj(x)))


class HydraNet(nn.Module):
    def __init__(self, depth, width, fpn):
        super().__init__()
        blocks = [2, 2, 2, 2] if depth == 18 else [3, 4, 6, 3]
        self.stem = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.stem_bn = nn.BatchNorm2d(width)
        stages = []
        cin = width
        for s in range(4):
            cout = width << s
            layers = [BasicBlock(cin if b == 0 else cout, cout, 2 if b == 0 and s > 0 else 1) for b in range(blocks[s])]
            stages.append(nn.Sequential(*layers))
            cin = cout
        self.stages = nn.ModuleList(stages)
        chans = [width] + [width << s for s in range(4)]
        self.laterals = nn.ModuleList([nn.Conv2d(c, fpn, 1) for c in chans])
        self.smooth2 = nn.Sequential(nn.Conv2d(fpn, fpn, 3, 1, 1, bias=False), nn.BatchNorm2d(fpn), nn.ReLU())
        fine = max(8, fpn // 2)

        def mk(hidden, out):
            return nn.Sequential(nn.Conv2d(fpn, hidden, 3, 1, 1), nn.ReLU(), nn.Conv2d(hidden, out, 1))

        self.seg = mk(fine, 3)
        self.depth = mk(fine, 1)
        self.heat = mk(fpn, 1)
        self.size = mk(fpn, 2)
        self.robot_seg = mk(fine, 3)
        self.robot_depth = mk(fine, 1)
        self.robot_centre = mk(fpn, 1)

    def forward(self, x):
        x = (x - 0.45) * 4
        c = []
        x = F.relu(self.stem_bn(self.stem(x)))
        c.append(x)
        x = F.max_pool2d(x, 3, 2, 1)
        for st in self.stages:
            x = st(x)
            c.append(x)
        p = [None] * 5
        p[4] = self.laterals[4](c[4])
        for l in range(3, -1, -1):
            p[l] = self.laterals[l](c[l]) + F.interpolate(p[l + 1], scale_factor=2, mode="nearest")
        p1 = p[0]
        p2 = self.smooth2(p[1])
        emb = c[4].mean(dim=(2, 3))
        return (self.seg(p1), self.depth(p1), self.heat(p2), self.size(p2), emb,
                self.robot_seg(p1), self.robot_depth(p1), self.robot_centre(p2))


def timed(fn, seconds, min_iters):
    """(iterations, wall seconds, process CPU seconds over all threads)"""
    n = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    while n < min_iters or time.perf_counter() - t0 < seconds:
        fn()
        n += 1
    return n, time.perf_counter() - t0, time.process_time() - c0


def main():
    args = json.loads(sys.argv[1])
    torch.set_num_threads(args["threads"])
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "sizes": {}}
    for size in args["sizes"]:
        net = HydraNet(args["depth"], args["width"], args["fpn"])
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        b = args["batch"]
        x = torch.rand(b, 3, size, size)

        def train_step():
            opt.zero_grad()
            loss = sum((o * o).mean() for o in net(x))
            loss.backward()
            opt.step()

        def infer_step():
            with torch.no_grad():
                net(x)

        net.train()
        train_step()
        n, t, c = timed(train_step, args["seconds"], args["minIters"])
        row = {"trainImagesPerSecond": n * b / t, "trainImagesPerCpuSecond": n * b / c}
        net.eval()
        infer_step()
        n, t, c = timed(infer_step, args["seconds"], args["minIters"])
        row["inferenceImagesPerSecond"] = n * b / t
        row["inferenceImagesPerCpuSecond"] = n * b / c
        result["sizes"][str(size)] = row
    print(json.dumps(result))


if __name__ == "__main__":
    main()
