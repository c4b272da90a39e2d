"""NVIDIA's projector (projector.py) re-written for the oracle, with GenIJ's documented draws: numpy's
RandomState(seed) (initial noise maps in buffer order, then each step's w jitter) where NVIDIA's come from torch.
The distance is a function of the synthesised image and the target (both in -1..1): the mean squared pixel
difference (GenIJ without a features file) or NVIDIA's LPIPS distance through a vgg16.pt-like network."""
import numpy as np
import torch
import torch.nn.functional as F


def pixel_distance(img, target):
    return (img - target).square().mean()


def lpips_distance(features):
    """NVIDIA's: images to 0..255 (area down-sampling above 256, none here), features with return_lpips=True,
    the squared difference summed; grey images repeated to RGB as GenIJ feeds them."""
    def prepare(x):
        x = (x + 1) * (255 / 2)
        return x.repeat([1, 3, 1, 1]) if x.shape[1] == 1 else x

    cache = {}

    def distance(img, target):
        if "target" not in cache:
            with torch.no_grad():
                cache["target"] = features(prepare(target), resize_images=False, return_lpips=True)
        return (cache["target"] - features(prepare(img), resize_images=False, return_lpips=True)).square().sum()
    return distance


def project(g, target, steps, seed, noise_weight, distance):
    """Returns (w, distances per step); g's noise buffers are left as the projection ends."""
    z_dim = g.z_dim
    zs = torch.from_numpy(np.random.RandomState(123).randn(10000, z_dim)).to(torch.float32)
    with torch.no_grad():
        w = g.mapping(zs, None)[:, 0, :]
    w_avg = w.mean(0, keepdim=True)
    w_std = float((((w - w_avg) ** 2).sum() / 10000) ** 0.5)
    rs = np.random.RandomState(seed)
    bufs = [b for n, b in g.synthesis.named_buffers() if "noise_const" in n]
    for b in bufs:
        b.copy_(torch.from_numpy(rs.randn(*b.shape)).to(torch.float32))
        b.requires_grad = True
    w_opt = w_avg.clone().requires_grad_(True)
    opt = torch.optim.Adam([w_opt] + bufs, betas=(0.9, 0.999), lr=0.1)
    dists = []
    for step in range(steps):
        t = step / steps
        w_noise_scale = w_std * 0.05 * max(0.0, 1.0 - t / 0.75) ** 2
        ramp = min(1.0, (1.0 - t) / 0.25)
        ramp = (0.5 - 0.5 * np.cos(ramp * np.pi)) * min(1.0, t / 0.05)
        for group in opt.param_groups:
            group["lr"] = 0.1 * ramp
        w_noise = torch.from_numpy(rs.randn(1, g.mapping.w_dim)).to(torch.float32) * w_noise_scale
        ws = (w_opt + w_noise).unsqueeze(1).repeat([1, g.num_ws, 1])
        img = g.synthesis(ws, "const")
        dist = distance(img, target)
        reg = 0.0
        for v in bufs:
            noise = v[None, None, :, :]
            while True:
                reg = reg + (noise * torch.roll(noise, shifts=1, dims=3)).mean() ** 2
                reg = reg + (noise * torch.roll(noise, shifts=1, dims=2)).mean() ** 2
                if noise.shape[2] <= 8:
                    break
                noise = F.avg_pool2d(noise, kernel_size=2)
        loss = dist + reg * noise_weight
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        dists.append(float(dist))
        with torch.no_grad():
            for b in bufs:
                b -= b.mean()
                b *= b.square().mean().rsqrt()
    return w_opt.detach(), dists
