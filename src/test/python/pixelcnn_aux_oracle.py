"""Reference values for GenIJ's Grayscale and Pyramid PixelCNNs (pixelcnn_aux_nets.py) on random weight-normed
weights: an RGB Grayscale PixelCNN and a grey Pyramid PixelCNN of 3 levels. For each: the per-pixel map of nats of
an image whose sides are not powers of two (the auxiliary images' shares spread over their blocks), and images
sampled and completed in float64 with whole-image passes and numpy's draws as GenIJ makes them (image k from
RandomState(seed + k); the auxiliary images first: the grey image, or the coarsest level first; per pixel the
mixture's uniforms, then one per channel).
Writes <name>.pth (GenIJ's keys, weight_g/weight_v), <name>.safetensors and cases.json. Usage: OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch

from oracle_io import save_index, save_safetensors
from pixelcnn_aux_nets import GrayscalePixelCNN, PyramidPixelCNN, grey4, pyramid_level
from pixelcnn_nets import perturb, sample_pixel

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)


def image(channels, h, w, seed):
    rs = np.random.RandomState(seed)
    v = rs.randint(0, 256, size=(1, channels, h, w))
    v[0, :, 0, :3] = 0
    v[0, :, 1, :3] = 255
    return v


def draw_level(forward, canvas, channels, mix, depth, streams, temperature, mask):
    """Fills canvas (int levels [N,C,h,w]) in raster order where mask (None: all) is set; whole-image passes."""
    half = (depth - 1) / 2.
    h, w = canvas.shape[2], canvas.shape[3]
    with torch.no_grad():
        for i in range(h):
            for j in range(w):
                if mask is not None and not mask[i, j]:
                    continue
                l = forward(torch.from_numpy(canvas / half - 1.))[:, :, i, j].numpy()
                for k in range(canvas.shape[0]):
                    mu = [streams[k].random_sample() for _ in range(mix)]
                    cu = [streams[k].random_sample() for _ in range(channels)]
                    canvas[k, :, i, j] = sample_pixel(l[k], channels, mu, cu, temperature, depth)


def level_mask(mask, k):
    if mask is None or k == 0:
        return mask
    b = 2 ** k
    h, w = -(-mask.shape[0] // b), -(-mask.shape[1] // b)
    out = np.zeros((h, w), dtype=bool)
    for y, x in zip(*np.nonzero(mask)):
        out[y // b, x // b] = True
    return out


def draw_grayscale(net, channels, mix, start, seed, temperature, mask=None):
    net = net.double()
    streams = [np.random.RandomState(seed + k) for k in range(start.shape[0])]
    canvas = start.copy()
    g = grey4(torch.from_numpy(canvas).double()).numpy().astype(np.int64)
    draw_level(net.grey, g, 1, mix, 16, streams, temperature, mask)
    aux = torch.from_numpy(g / 7.5 - 1.)
    draw_level(lambda x: net.colour(x, aux), canvas, channels, mix, 256, streams, temperature, mask)
    net.float()
    return canvas


def draw_pyramid(net, channels, mix, start, seed, temperature, mask=None):
    net = net.double()
    streams = [np.random.RandomState(seed + k) for k in range(start.shape[0])]
    coarser = None
    levels = len(net.scales)
    for k in range(levels - 1, -1, -1):
        lk = start.copy() if k == 0 else pyramid_level(torch.from_numpy(start).double(), k).numpy().astype(np.int64)
        aux = None if coarser is None else torch.from_numpy(coarser / 127.5 - 1.)
        draw_level(lambda x: net.scales[k](x, aux), lk, channels, mix, 256, streams, temperature, level_mask(mask, k))
        coarser = lk
    net.float()
    return coarser


cases = []
models = [("grayscale", 3, GrayscalePixelCNN(3, 1, 6, 2, 2, 2, 1), draw_grayscale,
           {"variant": "grayscale", "nr_resnet": 1, "conditional_blocks": 2}),
          ("pyramid", 1, PyramidPixelCNN(1, 3, 6, 2, 2, 2, 1), draw_pyramid,
           {"variant": "pyramid", "pyramid_levels": 3, "conditional_blocks": 2})]
for i, (name, channels, net, draw, settings) in enumerate(models):
    perturb(net, 50 + i)
    torch.save(net.state_dict(), os.path.join(out_dir, name + ".pth"))
    t = {}
    for tag, (h, w) in [("odd", (13, 11)), ("square", (8, 8))]:
        v = image(channels, h, w, 60 + h)
        with torch.no_grad():
            nats = net.nats(torch.from_numpy(v).float())
        t[tag + "_image"] = torch.from_numpy(v).float()
        t[tag + "_nats"] = nats
    temperature = 0.8
    t["samples"] = torch.from_numpy(draw(net, channels, 2, np.zeros((2, channels, 5, 6), dtype=np.int64), 11,
                                         temperature)).float()
    start = image(channels, 8, 8, 30)
    mask = np.zeros((8, 8), dtype=bool)
    mask[3:6, 2:7] = True
    t["completion_image"] = torch.from_numpy(start).float()
    t["completion_mask"] = torch.from_numpy(mask.astype(np.float32))
    t["completions"] = torch.from_numpy(draw(net, channels, 2, np.repeat(start, 2, 0), 12, 1.0, mask)).float()
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), t)
    settings.update({"channels": channels, "sample_seed": 11, "sample_count": 2, "sample_height": 5, "sample_width": 6,
                     "temperature": temperature, "completion_seed": 12, "completion_count": 2,
                     "parameter_count": sum(p.numel() for p in net.parameters())})
    cases.append({"name": name, "kind": "pixelcnn-aux", "settings": settings})
save_index(os.path.join(out_dir, "cases.json"), cases)
