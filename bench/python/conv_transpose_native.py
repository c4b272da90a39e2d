"""Times PyTorch's native conv_transpose2d (Debian's python3-torch) on the shapes given as JSON on the
command line, with the given number of threads. Prints one line per shape: name, median milliseconds."""
import json
import sys
import time

import torch
import torch.nn.functional as F

threads, shapes = int(sys.argv[1]), json.loads(sys.argv[2])
torch.set_num_threads(threads)
print("torch", torch.__version__, flush=True)
torch.manual_seed(0)
with torch.no_grad():
    for s in shapes:
        x = torch.randn(1, s["in"], s["size"], s["size"])
        w = torch.randn(s["in"], s["out"], s["k"], s["k"])
        b = torch.randn(s["out"])
        run = lambda: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=s["op"])
        for _ in range(s["warmup"]):
            run()
        times = []
        for _ in range(s["runs"]):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        times.sort()
        print(s["name"], times[len(times) // 2] * 1000.0, flush=True)
