"""PyTorch (Debian's python3-torch) timings for GenIJ's style benchmarks, on weights it writes for the
Java side to load: AdaIN (random encoder/decoder as legacy .pth, like the released files) and a Gatys
evaluation (full-width VGG-19 with Gatys' key names, as safetensors).
Usage: style_native.py FOLDER THREADS. Prints 'name median_ms' lines."""
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_timing import median_ms  # noqa: E402

folder, threads = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
torch.set_num_threads(threads)
print("torch", torch.__version__, flush=True)




def pad():
    return nn.ReflectionPad2d(1)


torch.manual_seed(0)
enc = nn.Sequential(nn.Conv2d(3, 3, 1), pad(), nn.Conv2d(3, 64, 3), nn.ReLU(), pad(), nn.Conv2d(64, 64, 3), nn.ReLU(),
                    nn.MaxPool2d(2, 2, 0, ceil_mode=True), pad(), nn.Conv2d(64, 128, 3), nn.ReLU(), pad(), nn.Conv2d(128, 128, 3),
                    nn.ReLU(), nn.MaxPool2d(2, 2, 0, ceil_mode=True), pad(), nn.Conv2d(128, 256, 3), nn.ReLU(), pad(),
                    nn.Conv2d(256, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3),
                    nn.ReLU(), nn.MaxPool2d(2, 2, 0, ceil_mode=True), pad(), nn.Conv2d(256, 512, 3), nn.ReLU())
dec = nn.Sequential(pad(), nn.Conv2d(512, 256, 3), nn.ReLU(), nn.Upsample(scale_factor=2), pad(), nn.Conv2d(256, 256, 3),
                    nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(), pad(), nn.Conv2d(256, 256, 3), nn.ReLU(), pad(),
                    nn.Conv2d(256, 128, 3), nn.ReLU(), nn.Upsample(scale_factor=2), pad(), nn.Conv2d(128, 128, 3), nn.ReLU(),
                    pad(), nn.Conv2d(128, 64, 3), nn.ReLU(), nn.Upsample(scale_factor=2), pad(), nn.Conv2d(64, 64, 3), nn.ReLU(),
                    pad(), nn.Conv2d(64, 3, 3))
torch.save(enc.state_dict(), os.path.join(folder, "vgg_normalised.pth"), _use_new_zipfile_serialization=False)
torch.save(dec.state_dict(), os.path.join(folder, "decoder.pth"), _use_new_zipfile_serialization=False)


def adain(c, s, eps=1e-5):
    n, ch = c.shape[:2]
    cm, sm = c.view(n, ch, -1).mean(2).view(n, ch, 1, 1), s.view(n, ch, -1).mean(2).view(n, ch, 1, 1)
    cs = (c.view(n, ch, -1).var(2) + eps).sqrt().view(n, ch, 1, 1)
    ss = (s.view(n, ch, -1).var(2) + eps).sqrt().view(n, ch, 1, 1)
    return (c - cm) / cs * ss + sm


content, style = torch.rand(1, 3, 256, 256), torch.rand(1, 3, 256, 256)
with torch.no_grad():
    print("adain_256", median_ms(lambda: dec(adain(enc(content), enc(style))), 2, 7), flush=True)

BLOCKS = [["1_1", "1_2"], ["2_1", "2_2"], ["3_1", "3_2", "3_3", "3_4"], ["4_1", "4_2", "4_3", "4_4"], ["5_1", "5_2", "5_3", "5_4"]]
WIDTHS = [64, 128, 256, 512, 512]
vgg, cin = {}, 3
for b, block in enumerate(BLOCKS):
    for name in block:
        conv = nn.Conv2d(cin, WIDTHS[b], 3, padding=1)
        vgg["conv%s.weight" % name], vgg["conv%s.bias" % name] = conv.weight.detach(), conv.bias.detach()
        cin = WIDTHS[b]
header, blobs, offset = {}, [], 0
for k, t in vgg.items():
    data = t.contiguous().numpy().tobytes()
    header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
head = json.dumps(header).encode()
head += b" " * (-len(head) % 8)
with open(os.path.join(folder, "vgg_conv.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def features(x, layers):
    out, y = {}, x
    for b, block in enumerate(BLOCKS):
        if b > 0:
            y = F.max_pool2d(y, 2, 2)
        for name in block:
            y = F.relu(F.conv2d(y, vgg["conv%s.weight" % name], vgg["conv%s.bias" % name], padding=1))
            if "r" + name.replace("_", "") in layers:
                out["r" + name.replace("_", "")] = y
        if len(out) == len(layers):
            break
    return out


def gram(f):
    c, hw = f.shape[1], f.shape[2] * f.shape[3]
    flat = f.view(c, hw)
    return flat @ flat.t() / hw


layers = ["r11", "r21", "r31", "r41", "r51", "r42"]
img_c, img_s = torch.rand(1, 3, 192, 192) * 255 - 120, torch.rand(1, 3, 192, 192) * 255 - 120
with torch.no_grad():
    targets = features(img_s, layers)
    grams = {l: gram(targets[l]) for l in layers if l != "r42"}
    content_target = features(img_c, ["r42"])["r42"]
image = img_c.clone().requires_grad_(True)


def evaluation():
    image.grad = None
    f = features(image, layers)
    loss = F.mse_loss(f["r42"], content_target)
    for l in grams:
        loss = loss + 1e3 / f[l].shape[1] ** 2 * F.mse_loss(gram(f[l]), grams[l])
    loss.backward()


print("gatys_eval_192", median_ms(evaluation, 2, 7), flush=True)
