"""Reference outputs for GenIJ's SPADE generator (spade_nets.py) on random weights with non-trivial batch-norm
statistics and spectral-norm vectors u, v that are not converged (as in released checkpoints). Writes
<case>_net_G.pth (the state dict, weight_orig/weight_u/weight_v keys), <case>.safetensors (label and
instance maps as float, the input semantics, z, the output) and cases.json.
Usage: spade_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

from oracle_io import save_index, save_safetensors
from spade_nets import ConvEncoder, SPADEGenerator, input_semantics

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []


def blocky_labels(h, w, n, seed, block=16):
    g = torch.Generator().manual_seed(seed)
    coarse = torch.randint(0, n, (1, 1, h // block, w // block), generator=g)
    return coarse.repeat_interleave(block, 2).repeat_interleave(block, 3)


def case(name, label_nc, dontcare, instance, ngf, h, w, mode, use_vae=False, seed=0):
    torch.manual_seed(seed)
    semantic_nc = label_nc + (1 if dontcare else 0) + (1 if instance else 0)
    g = SPADEGenerator(semantic_nc, ngf, crop_size=w, aspect_ratio=w / h, num_upsampling_layers=mode, use_vae=use_vae,
                       z_dim=16)
    # statistics a trained network has, and u, v moved by a few power iterations but not converged
    g.train()
    with torch.no_grad():
        for _ in range(2):
            labels = blocky_labels(h, w, label_nc, seed + 1)
            inst = blocky_labels(h, w, 7, seed + 2, 32) if instance else None
            g(input_semantics(labels, label_nc, dontcare, inst), torch.randn(1, 16) if use_vae else None)
        for m in g.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
    g.eval()
    torch.save(g.state_dict(), os.path.join(out_dir, name + "_net_G.pth"))
    labels = blocky_labels(h, w, label_nc + (1 if dontcare else 0), seed + 3)
    inst = blocky_labels(h, w, 5, seed + 4, 8) if instance else None
    sem = input_semantics(labels, label_nc, dontcare, inst)
    z = torch.from_numpy(np.random.RandomState(seed).randn(1, 16)).float() if use_vae else None
    with torch.no_grad():
        y = g(sem, z)
        # bnstats=image: each norm on the image's own statistics (only the norms in train mode: spectral norm
        # would take a power-iteration step; running statistics restored after)
        saved = {k: v.clone() for k, v in g.state_dict().items()}
        for m in g.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.train()
        y_image = g(sem, z)
        g.load_state_dict(saved)
        g.eval()
    t = {"labels": labels.float(), "semantics": sem, "out": y, "out_image_stats": y_image}
    if inst is not None:
        t["instances"] = inst.float()
    if z is not None:
        t["z"] = z
    if use_vae:
        # the style encoder (latest_net_E.pth): u, v moved by a few power iterations, not converged; a style image of
        # another size (resized to 256x256 by the encoder), levels 0..255 entering as (v / 255 - 0.5) / 0.5
        e = ConvEncoder(ngf, z_dim=16)
        e.train()
        with torch.no_grad():
            for _ in range(2):
                e(torch.rand(1, 3, 256, 256) * 2 - 1)
        e.eval()
        torch.save(e.state_dict(), os.path.join(out_dir, name + "_net_E.pth"))
        gen = torch.Generator().manual_seed(seed + 5)
        style = torch.randint(0, 256, (1, 3, 48, 80), generator=gen).float()
        with torch.no_grad():
            mu, _ = e((style / 255 - 0.5) / 0.5)
            t["style"] = style
            t["mu"] = mu
            t["out_style"] = g(sem, mu)
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), t)
    cases.append({"name": name, "kind": "spade", "settings": {"label_nc": label_nc, "dontcare": dontcare,
                  "instance": instance, "ngf": ngf, "height": h, "width": w, "mode": mode, "use_vae": use_vae,
                  "parameter_count": sum(p.numel() for p in g.parameters())}})


case("normal_instance", 5, False, True, 4, 128, 128, "normal")
case("more_dontcare_wide", 3, True, False, 4, 64, 128, "more", seed=5)
case("most_vae", 4, False, False, 2, 256, 256, "most", use_vae=True, seed=9)
save_index(os.path.join(out_dir, "cases.json"), cases)
