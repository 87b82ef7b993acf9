"""PyTorch CPU peer for bench:train: one full DeblurGAN training step (5 critic steps with
gradient penalty on the same batch + 1 generator step; L1 content x100 plus the adversarial
term), batch 1, 128x128 crops, official generator (given ngf, 9 blocks) and the paper's critic
(PatchGAN, ndf 64, 3 layers, InstanceNorm, LeakyReLU 0.2, padding 2), Adam 1e-4 (0.5, 0.999).

    python3 benchmarks/train_torch.py <ngf>

Prints one JSON line {runtime, ngf, medianMs, runs, threads}, or {runtime, ngf, error}.
"""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deblur_torch import build_generator  # noqa: E402

CROP = 128
RUNS = 7  # steps on this machine vary by ±30 % within one process: the median of 7 steadies it
SEED = 1234


def build_critic(nn, ndf=64, layers=3):
    seq = [nn.Conv2d(3, ndf, 4, stride=2, padding=2), nn.LeakyReLU(0.2, True)]
    mult = 1
    for n in range(1, layers):
        prev, mult = mult, min(2 ** n, 8)
        seq += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride=2, padding=2), nn.InstanceNorm2d(ndf * mult), nn.LeakyReLU(0.2, True)]
    prev, mult = mult, min(2 ** layers, 8)
    seq += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride=1, padding=2), nn.InstanceNorm2d(ndf * mult), nn.LeakyReLU(0.2, True)]
    seq += [nn.Conv2d(ndf * mult, 1, 4, stride=1, padding=2)]
    return nn.Sequential(*seq)


def main():
    ngf = int(sys.argv[1])
    try:
        import torch
        from torch import nn
    except Exception as err:
        print(json.dumps({"runtime": "pytorch", "ngf": ngf, "error": f"torch not importable: {err}"}))
        return
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    g = build_generator(nn, ngf=ngf).train()
    d = build_critic(nn).train()
    g_opt = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), lr=1e-4, betas=(0.5, 0.999))
    blurred = torch.rand(1, 3, CROP, CROP) * 2 - 1
    sharp = torch.rand(1, 3, CROP, CROP) * 2 - 1

    def step():
        fake = g(blurred).detach()
        for _ in range(5):
            d_opt.zero_grad()
            alpha = torch.rand(1, 1, 1, 1)
            mixed = (alpha * sharp + (1 - alpha) * fake).requires_grad_(True)
            grad = torch.autograd.grad(d(mixed).sum(), mixed, create_graph=True)[0]
            gp = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
            loss = d(fake).mean() - d(sharp).mean() + 10 * gp
            loss.backward()
            d_opt.step()
        g_opt.zero_grad()
        restored = g(blurred)
        loss = -d(restored).mean() + 100 * (restored - sharp).abs().mean()
        loss.backward()
        g_opt.step()

    step()  # warm-up
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"runtime": "pytorch", "ngf": ngf, "medianMs": statistics.median(times), "runs": RUNS, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
