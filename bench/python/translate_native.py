"""PyTorch (Debian's python3-torch) forward times of pix2pix's U-Net-256 and CycleGAN's ResNet-9 (ngf 64,
random weights written as legacy latest_net_G.pth for the Java side), in eval mode.
Usage: translate_native.py FOLDER THREADS. Prints 'name median_ms' lines."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "python"))
from reference_nets import ResnetGenerator, UnetGenerator  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import median_ms  # noqa: E402

folder, threads = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
torch.set_num_threads(threads)
print("torch", torch.__version__, flush=True)




torch.manual_seed(0)
for name, net in [("unet256", UnetGenerator(3, 3, 8, 64, "batch", True)), ("resnet9", ResnetGenerator(3, 3, 64, "instance", False, 9))]:
    net.eval()
    torch.save(net.state_dict(), os.path.join(folder, name + ".pth"), _use_new_zipfile_serialization=False)
    x = torch.rand(1, 3, 256, 256) * 2 - 1
    with torch.no_grad():
        print(name, median_ms(lambda: net(x.clone())), flush=True)
