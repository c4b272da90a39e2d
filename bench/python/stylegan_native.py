"""StyleGAN2 benchmark baselines in Debian's python3-torch. Two modes:
  stylegan_native.py FOLDER THREADS speed   -- a 256x256 generator of config-f's shape at reduced width
      (channel_base 16384, channel_max 256, 8 mapping layers, z = w = 512; stylegan_nets.py, NVIDIA's
      generator re-written), random weights: writes g256.pth (for GenIJ), g256.pt (TorchScript of
      z -> image, constant noise), g256.io.safetensors (z from RandomState(0) and PyTorch's image); prints
      'g256 <median ms>' for one forward pass (mapping and synthesis).
  stylegan_native.py FOLDER THREADS memory  -- config-f at 1024x1024 (full width), random weights, batch 1:
      prints 'weights_mb', and 'added_mb', the resident memory the forward pass added at its peak."""
import os
import resource
import sys

import warnings

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "src", "test", "python"))
sys.path.insert(0, here)
from oracle_io import save_safetensors  # noqa: E402
from stylegan_nets import Generator, randomise  # noqa: E402
from bench_timing import median_ms  # noqa: E402

folder, threads, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(folder, exist_ok=True)
torch.set_num_threads(threads)
print("torch", torch.__version__, flush=True)
torch.manual_seed(0)
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)


class ZToImage(torch.nn.Module):
    def __init__(self, g):
        super().__init__()
        self.g = g

    def forward(self, z):
        return self.g(z, None, 1, None, "const")


def rss_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


if mode == "speed":
    g = Generator(512, 0, 512, 256, 3, mapping_layers=8, channel_base=16384, channel_max=256).eval()
    randomise(g, 1)
    torch.save(g.state_dict(), os.path.join(folder, "g256.pth"))
    z = torch.from_numpy(np.random.RandomState(0).randn(1, 512)).to(torch.float32)
    wrapped = ZToImage(g).eval()
    with torch.no_grad():
        y = wrapped(z)
        torch.jit.trace(wrapped, z, check_trace=False).save(os.path.join(folder, "g256.pt"))
        save_safetensors(os.path.join(folder, "g256.io.safetensors"), {"z": z, "y": y})
        print("g256", median_ms(lambda: wrapped(z), warmup=2, runs=9), flush=True)
else:
    g = Generator(512, 0, 512, 1024, 3, mapping_layers=8, channel_base=32768, channel_max=512).eval()
    weights = sum(p.numel() for p in g.parameters()) * 4 / 2 ** 20
    z = torch.randn(1, 512)
    with torch.no_grad():
        ZToImage(g)(z)  # warm: the allocator and kernels as after a first image
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the high-water mark
        before = rss_mb("VmRSS")
        ZToImage(g)(z)
        print("weights_mb", round(weights, 1))
        print("added_mb", round(rss_mb("VmHWM") - before, 1), flush=True)
