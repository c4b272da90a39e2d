"""SPADE benchmark baseline in Debian's python3-torch: spade_native.py FOLDER THREADS -- NVlabs/SPADE's generator
(spade_nets.py, the reference re-written) at ADE20K's shape (150 classes + dontcare, no instance map, ngf 64, normal
up-sampling), 256x256, random weights and batch-norm statistics, in eval mode: writes spade.pth (for GenIJ), spade.pt
(TorchScript of one-hot labels -> image), spade.io.safetensors (the label map as values and PyTorch's image);
prints 'spade256 <median ms>' for one forward pass from the one-hot labels."""
import os
import sys
import warnings

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "src", "test", "python"))
sys.path.insert(0, here)
from oracle_io import save_safetensors  # noqa: E402
from spade_nets import SPADEGenerator, input_semantics  # noqa: E402
from bench_timing import median_ms  # noqa: E402

folder, threads = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
torch.set_num_threads(threads)
print("torch", torch.__version__, flush=True)
torch.manual_seed(0)
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
CLASSES = 151
g = SPADEGenerator(CLASSES, 64, crop_size=256)
g.train()
with torch.no_grad():  # statistics and spectral vectors as a trained file has them
    coarse = torch.randint(0, CLASSES, (1, 1, 16, 16))
    labels = coarse.repeat_interleave(16, 2).repeat_interleave(16, 3)
    g(input_semantics(labels, CLASSES - 1, True))
g.eval()
torch.save(g.state_dict(), os.path.join(folder, "spade.pth"))
coarse = torch.randint(0, CLASSES, (1, 1, 32, 32), generator=torch.Generator().manual_seed(1))
labels = coarse.repeat_interleave(8, 2).repeat_interleave(8, 3)
seg = input_semantics(labels, CLASSES - 1, True)
with torch.no_grad():
    y = g(seg)
    torch.jit.trace(g, seg, check_trace=False).save(os.path.join(folder, "spade.pt"))
    save_safetensors(os.path.join(folder, "spade.io.safetensors"), {"labels": labels.float(), "y": y})
    print("spade256", median_ms(lambda: g(seg), warmup=2, runs=7), flush=True)
