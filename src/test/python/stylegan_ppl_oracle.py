"""Reference figures for GenIJ's StyleGAN Path Length: NVIDIA's PPL (metrics/perceptual_path_length.py: slerp in z
or lerp in w at t and t + 1e-4, noise buffers randomised per batch and used as const noise, the face crop, box
down-sampling to 256, 0..255 images, grey repeated to RGB, feature distance / epsilon^2, the mean between the 1st
(lower) and 99th (higher) percentiles), re-written for the oracle on stylegan_nets.py's generator, with GenIJ's
draws: numpy's RandomState(seed), per sample t's uniform, z0, z1, then one normal map per noise buffer in order;
slerp in float64 before the cast to float32.
The LPIPS network is a stand-in with NVIDIA's vgg16.pt calling convention (forward(img, resize_images,
return_lpips), img in 0..255), saved as TorchScript, since their file cannot be downloaded here.
Writes <case>.pth, lpips_standin.pt, ppl.safetensors (each case's distances and PPL) and cases.json.
Usage: stylegan_ppl_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

from oracle_io import save_index, save_safetensors
from stylegan_nets import Generator, randomise
from stylegan_projector import lpips_distance, project

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
EPS = 1e-4


class LpipsStandIn(torch.nn.Module):
    """Unit-normalised features of a random 3x3 convolution, spatially scaled as LPIPS's averaged distances."""
    def __init__(self):
        super().__init__()
        torch.manual_seed(3)
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, img, resize_images: bool = True, return_lpips: bool = False):
        f = F.relu(self.conv(img / 127.5 - 1.))
        # the norm, not sqrt(sum of squares): its gradient is 0 where a feature vector is all zero (sqrt would give NaN)
        f = f / (f.norm(p=2, dim=1, keepdim=True) + 1e-10)
        if return_lpips:
            return f.flatten(1) / float(f.shape[2] * f.shape[3]) ** 0.5
        return f.mean([2, 3])


def slerp(a, b, t):
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    d = (a * b).sum()
    p = t * np.arccos(d)
    c = b - d * a
    c = c / np.linalg.norm(c)
    d = a * np.cos(p) + c * np.sin(p)
    return d / np.linalg.norm(d)


def distances(g, samples, space, full, crop, features, seed, res, channels):
    rs = np.random.RandomState(seed)
    out = []
    with torch.no_grad():
        for _ in range(samples):
            u = rs.random_sample()
            t = u if full else 0.
            z0, z1 = rs.randn(g.z_dim), rs.randn(g.z_dim)
            if space == "w":
                ws = g.mapping(torch.from_numpy(np.stack([z0, z1])).float(), None)
                w0, w1 = ws[0:1], ws[1:2]
                wt = torch.cat([torch.lerp(w0, w1, t), torch.lerp(w0, w1, t + EPS)])
            else:
                zt = np.stack([slerp(z0, z1, t), slerp(z0, z1, t + EPS)])
                wt = g.mapping(torch.from_numpy(zt).float(), None)
            for name, buf in g.named_buffers():
                if name.endswith(".noise_const"):
                    buf.copy_(torch.from_numpy(rs.randn(*buf.shape)).float())
            # one image at a time, as GenIJ's synthesis runs (together, float32 rounding moves the distances by up to 3e-3)
            img = torch.cat([g.synthesis(wt[0:1], "const"), g.synthesis(wt[1:2], "const")])
            if crop:
                c = img.shape[2] // 8
                img = img[:, :, c * 3:c * 7, c * 2:c * 6]
            factor = res // 256
            if factor > 1:
                img = img.reshape([-1, img.shape[1], img.shape[2] // factor, factor, img.shape[3] // factor, factor]).mean([3, 5])
            img = (img + 1) * (255 / 2)
            if channels == 1:
                img = img.repeat([1, 3, 1, 1])
            if features is None:  # GenIJ's pixel stand-in: mean squared difference in 0..1
                f = img.reshape(2, -1) / (255 * float(img[0].numel()) ** 0.5)
            else:
                f = features(img, resize_images=False, return_lpips=True)
            out.append(float((f[0] - f[1]).square().sum()) / EPS ** 2)
    return np.array(out)


def ppl(d):
    lo = np.percentile(d, 1, method="lower")
    hi = np.percentile(d, 99, method="higher")
    return np.extract(np.logical_and(d >= lo, d <= hi), d).mean()


lpips = torch.jit.script(LpipsStandIn().eval())
lpips.save(os.path.join(out_dir, "lpips_standin.pt"))
cases, tensors, cases_kwargs = [], {}, {}
for i, (name, kwargs, settings) in enumerate([
        ("rgb32", dict(z_dim=32, c_dim=0, w_dim=32, img_resolution=32, img_channels=3, mapping_layers=2, channel_base=512,
                       channel_max=32), dict(space="w", sampling="end", crop=False, lpips=True, samples=40, seed=5)),
        ("gray16", dict(z_dim=8, c_dim=0, w_dim=8, img_resolution=16, img_channels=1, mapping_layers=1, channel_base=128,
                        channel_max=16, architecture="orig"), dict(space="z", sampling="full", crop=True, lpips=False,
                                                                   samples=40, seed=6))]):
    torch.manual_seed(90 + i)
    cases_kwargs[name] = kwargs
    g = Generator(**kwargs).eval()
    randomise(g, 95 + i)
    torch.save(g.state_dict(), os.path.join(out_dir, name + ".pth"))
    d = distances(g, settings["samples"], settings["space"], settings["sampling"] == "full", settings["crop"],
                  lpips if settings["lpips"] else None, settings["seed"], kwargs["img_resolution"], kwargs["img_channels"])
    tensors[name + "_distances"] = torch.from_numpy(d)
    tensors[name + "_ppl"] = torch.tensor([ppl(d)], dtype=torch.float64)
    cases.append({"name": name, "kind": "ppl", "settings": settings})
# NVIDIA's projector with the LPIPS stand-in as its distance, on the RGB case's generator (6 steps: further on, Adam's
# division by still-small second moments grows the last-bit differences between two libtorch builds chaotically)
g = Generator(**cases_kwargs["rgb32"]).eval()
g.load_state_dict(torch.load(os.path.join(out_dir, "rgb32.pth")))
g.requires_grad_(False)
with torch.no_grad():
    target = g(torch.from_numpy(np.random.RandomState(7).randn(1, 32)).float(), None, 1, None, "const")
w, dists = project(g, target, 6, 5, 1e5, lpips_distance(lpips))
tensors["projection_target"] = target
tensors["projection_w"] = w
tensors["projection_dist"] = torch.tensor(dists)
save_safetensors(os.path.join(out_dir, "ppl.safetensors"), tensors)
save_index(os.path.join(out_dir, "cases.json"), cases)
