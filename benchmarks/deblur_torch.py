"""PyTorch CPU peer for bench:deblur: the official-size DeblurGAN generator (ngf 64, 9 blocks),
random init from a fixed seed, timed like the Node children.

    python3 benchmarks/deblur_torch.py <256|720p>

Prints one JSON line {runtime, size, medianMs, runs, peakRssMb, backend, threads}, or
{runtime, size, error} when torch is not importable.
"""
import json
import resource
import sys
import time

EXPECTED_PARAMS = 11_378_179
SIZES = {"256": (256, 256), "720p": (1280, 720)}
SEED = 1234


def emit(obj):
    print(json.dumps(obj), flush=True)


def build_generator(nn, ngf=64, blocks=9):
    def block(c):
        return nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c),
        )

    class Residual(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.body = block(c)

        def forward(self, x):
            return x + self.body(x)

    layers = [nn.ReflectionPad2d(3), nn.Conv2d(3, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(True)]
    c = ngf
    for _ in range(2):
        layers += [nn.Conv2d(c, c * 2, 3, stride=2, padding=1), nn.InstanceNorm2d(c * 2), nn.ReLU(True)]
        c *= 2
    layers += [Residual(c) for _ in range(blocks)]
    for _ in range(2):
        layers += [nn.ConvTranspose2d(c, c // 2, 3, stride=2, padding=1, output_padding=1), nn.InstanceNorm2d(c // 2), nn.ReLU(True)]
        c //= 2
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(c, 3, 7), nn.Tanh()]

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = nn.Sequential(*layers)

        def forward(self, x):
            return (x + self.model(x)).clamp(-1, 1)

    g = Generator()
    for m in g.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            nn.init.zeros_(m.bias)
    return g


def main():
    size = sys.argv[1] if len(sys.argv) > 1 else "256"
    if size not in SIZES:
        raise SystemExit("usage: deblur_torch.py <256|720p>")
    try:
        import torch
        from torch import nn
    except Exception as err:  # torch missing or broken
        emit({"runtime": "pytorch", "size": size, "error": f"torch not importable: {err}"})
        return

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    g = build_generator(nn).eval()
    params = sum(p.numel() for p in g.parameters())
    assert params == EXPECTED_PARAMS, f"generator has {params} parameters, expected {EXPECTED_PARAMS}"

    w, h = SIZES[size]
    x = torch.rand(1, 3, h, w) * 2 - 1
    warmup, runs = (1, 2) if size == "720p" else (1, 3)
    times = []
    with torch.no_grad():
        for i in range(warmup + runs):
            t = time.perf_counter()
            g(x)
            if i >= warmup:
                times.append((time.perf_counter() - t) * 1000)
    times.sort()
    n = len(times)
    med = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    emit({
        "runtime": "pytorch",
        "size": size,
        "medianMs": med,
        "runs": n,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "backend": f"torch {torch.__version__} cpu",
        "threads": torch.get_num_threads(),
    })


if __name__ == "__main__":
    main()
