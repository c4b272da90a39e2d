"""Reference values for GenIJ's PixelCNN++ (pixelcnn_nets.py) on random weight-normed weights, for an RGB and a
grey model: the mixture parameters and the per-pixel negative log-likelihood of an image (a 16x16 one, as the
reference runs it, and a 13x18 one through the cut that lets any size run), the reference's summed loss, and
images sampled and completed in float64 with numpy's draws as GenIJ makes them (image k from RandomState(seed + k);
per pixel the mixture's uniforms, then one per channel).
Writes <model>.pth (DataParallel's 'module.' keys, zip format), <model>_legacy.pth (the pre-1.6 format),
<case>.safetensors and cases.json. Usage: pixelcnn_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch

from oracle_io import save_index, save_safetensors
from pixelcnn_nets import PixelCNN, nll_per_pixel, perturb, sample_pixel

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)


def build(name, channels, nr_resnet, filters, mix, seed):
    torch.manual_seed(seed)
    net = PixelCNN(nr_resnet=nr_resnet, nr_filters=filters, nr_logistic_mix=mix, input_channels=channels)
    perturb(net)
    sd = {"module." + k: v for k, v in net.state_dict().items()}
    torch.save(sd, os.path.join(out_dir, name + ".pth"))
    torch.save(sd, os.path.join(out_dir, name + "_legacy.pth"), _use_new_zipfile_serialization=False)
    return net


def image(channels, h, w, seed):
    rs = np.random.RandomState(seed)
    v = rs.randint(0, 256, size=(1, channels, h, w))
    v[0, :, 0, :3] = 0  # the edge bins
    v[0, :, 1, :3] = 255
    return torch.from_numpy(v).float()


def draws(rs, mix, channels):
    return [rs.random_sample() for _ in range(mix)], [rs.random_sample() for _ in range(channels)]


def sample(net, channels, mix, h, w, seed, count, temperature, start=None, mask=None):
    """Raster-order sampling with a full pass per pixel, in float64; start/mask: completion of the masked pixels."""
    net = net.double()
    levels = np.zeros((count, channels, h, w), dtype=np.int64) if start is None else start.copy()
    streams = [np.random.RandomState(seed + k) for k in range(count)]
    with torch.no_grad():
        for i in range(h):
            for j in range(w):
                if mask is not None and not mask[i, j]:
                    continue
                l = net(torch.from_numpy(levels / 127.5 - 1.))[:, :, i, j].numpy()
                for k in range(count):
                    mu, cu = draws(streams[k], mix, channels)
                    levels[k, :, i, j] = sample_pixel(l[k], channels, mu, cu, temperature)
    net.float()
    return levels


cases = []
for name, channels, nr_resnet, filters, mix in [("rgb", 3, 1, 8, 3), ("grey", 1, 2, 6, 2)]:
    net = build(name, channels, nr_resnet, filters, mix, 5 if channels == 3 else 6)
    tensors = {}
    for tag, (h, w) in [("square", (16, 16)), ("odd", (13, 18))]:
        v = image(channels, h, w, 7 + h)
        x = v / 127.5 - 1.
        with torch.no_grad():
            l = net(x)
            nll = nll_per_pixel(x, l)
        tensors[tag + "_image"] = v
        tensors[tag + "_params"] = l
        tensors[tag + "_nll"] = nll
        tensors[tag + "_loss"] = nll.sum().reshape(1)
    temperature = 0.7 if channels == 3 else 1.0
    tensors["samples"] = torch.from_numpy(sample(net, channels, mix, 6, 7, 21, 2, temperature)).float()
    start = image(channels, 8, 8, 30).numpy().astype(np.int64)
    mask = np.zeros((8, 8), dtype=bool)
    mask[3:6, 2:7] = True
    tensors["completion_image"] = torch.from_numpy(start).float()
    tensors["completion_mask"] = torch.from_numpy(mask.astype(np.float32))
    tensors["completions"] = torch.from_numpy(sample(net, channels, mix, 8, 8, 40, 2, 1.0,
                                                     np.repeat(start, 2, 0), mask)).float()
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors)
    cases.append({"name": name, "kind": "pixelcnn", "settings": {
        "channels": channels, "nr_resnet": nr_resnet, "nr_filters": filters, "nr_logistic_mix": mix,
        "sample_seed": 21, "sample_count": 2, "sample_height": 6, "sample_width": 7, "temperature": temperature,
        "completion_seed": 40, "completion_count": 2,
        "parameter_count": sum(p.numel() for p in net.parameters()),
        "folded_parameter_count": sum(p.numel() for k, p in net.named_parameters() if not k.endswith("weight_g"))}})
save_index(os.path.join(out_dir, "cases.json"), cases)
