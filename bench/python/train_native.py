"""PyTorch (Debian's python3-torch) time of one pix2pix training step as the reference code takes it
(junyanz/pytorch-CycleGAN-and-pix2pix, Pix2PixModel.optimize_parameters): U-Net generator with batch norm
and dropout, 70x70 PatchGAN, vanilla GAN loss + 100 x L1, Adam(2e-4, beta1 0.5), batch 1.
Usage: train_native.py NUM_DOWNS NGF SIZE THREADS. Prints 'torch VERSION' and 'step MEDIAN_MS'."""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "python"))
from reference_nets import NLayerDiscriminator, UnetGenerator  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import median_ms  # noqa: E402

num_downs, ngf, size, threads = (int(v) for v in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)
print("torch", torch.__version__, flush=True)
g, d = UnetGenerator(3, 3, num_downs, ngf, "batch", True), NLayerDiscriminator(6, 64, 3, "batch")
g.train()
d.train()
opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()
a, b = torch.rand(1, 3, size, size) * 2 - 1, torch.rand(1, 3, size, size) * 2 - 1


def step():
    fake = g(a)
    for p in d.parameters():
        p.requires_grad_(True)
    opt_d.zero_grad()
    pred_fake, pred_real = d(torch.cat((a, fake.detach()), 1)), d(torch.cat((a, b), 1))
    loss_d = 0.5 * (bce(pred_fake, torch.zeros_like(pred_fake)) + bce(pred_real, torch.ones_like(pred_real)))
    loss_d.backward()
    opt_d.step()
    for p in d.parameters():
        p.requires_grad_(False)
    opt_g.zero_grad()
    pred = d(torch.cat((a, fake), 1))
    loss_g = bce(pred, torch.ones_like(pred)) + 100 * l1(fake, b)
    loss_g.backward()
    opt_g.step()


print("step", median_ms(step, warmup=2, runs=7), flush=True)
