"""PixelCNN++ benchmark baseline in Debian's python3-torch: a CIFAR-sized network (nr_resnet 5, nr_filters 160,
10 logistics, RGB; pixelcnn_nets.py, pclucas14's model re-written) with random weight-normed weights.
  pixelcnn_native.py FOLDER THREADS
writes pcnn.pth (for GenIJ), pcnn.pt (TorchScript of image -> mixture parameters), pcnn.io.safetensors (a 32x32
image in [-1, 1] and PyTorch's output), and prints 'forward <median ms>' for one pass of a 32x32 image."""
import os
import sys

import warnings

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "src", "test", "python"))
sys.path.insert(0, here)
from oracle_io import save_safetensors  # noqa: E402
from pixelcnn_nets import PixelCNN  # noqa: E402
from bench_timing import median_ms  # noqa: E402

folder, threads = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
torch.set_num_threads(threads)
print("torch", torch.__version__, flush=True)
torch.manual_seed(0)
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
net = PixelCNN(nr_resnet=5, nr_filters=160, nr_logistic_mix=10, input_channels=3).eval()
torch.save(net.state_dict(), os.path.join(folder, "pcnn.pth"))
x = torch.randint(0, 256, (1, 3, 32, 32)).float() / 127.5 - 1.
with torch.no_grad():
    y = net(x)
    torch.jit.trace(net, x, check_trace=False).save(os.path.join(folder, "pcnn.pt"))
    save_safetensors(os.path.join(folder, "pcnn.io.safetensors"), {"x": x, "y": y})
    print("forward", median_ms(lambda: net(x), warmup=1, runs=5), flush=True)
