"""Reference results for GenIJ's style transfer, computed with Debian's python3-torch by our own
re-implementations of the reference forward passes (Gatys' PytorchNeuralStyleTransfer, naoto0804's
pytorch-AdaIN, pytorch/examples' fast_neural_style). Random-init weights stand in for released ones.
Usage: style_oracle.py OUTPUT_FOLDER"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from oracle_io import save_index, save_safetensors

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []

# ---------------------------------------------------------------- Gatys
BLOCKS = [["1_1", "1_2"], ["2_1", "2_2"], ["3_1", "3_2", "3_3", "3_4"], ["4_1", "4_2", "4_3", "4_4"],
          ["5_1", "5_2", "5_3", "5_4"]]
WIDTHS = [16, 32, 64, 128, 128]  # VGG-19 at a quarter width keeps the test fast

torch.manual_seed(10)
vgg = {}
cin = 3
for b, block in enumerate(BLOCKS):
    for name in block:
        conv = nn.Conv2d(cin, WIDTHS[b], 3, padding=1)
        vgg["conv%s.weight" % name] = conv.weight.detach().double()
        vgg["conv%s.bias" % name] = conv.bias.detach().double()
        cin = WIDTHS[b]
save_safetensors(os.path.join(out_dir, "gatys_vgg.safetensors"), vgg)


def vgg_forward(x, layers):
    out, y = {}, x
    for b, block in enumerate(BLOCKS):
        if b > 0:
            y = F.max_pool2d(y, 2, 2)
        for name in block:
            y = F.relu(F.conv2d(y, vgg["conv%s.weight" % name], vgg["conv%s.bias" % name], padding=1))
            key = "r" + name.replace("_", "")
            if key in layers:
                out[key] = y
    return out


def gram(f):
    b, c, h, w = f.shape
    flat = f.view(b, c, h * w)
    return torch.bmm(flat, flat.transpose(1, 2)) / (h * w)


style_layers, content_layer = ["r11", "r21", "r31", "r41", "r51"], "r42"
torch.manual_seed(11)
# smooth random images, centred like Caffe inputs (0..255 minus a mean). In float64: L-BFGS's second
# step divides by the difference of two gradients a tiny step apart, which amplifies float32 rounding
# differences between libtorch builds chaotically; float64 compares the algorithms themselves.
content = F.interpolate(torch.rand(1, 3, 10, 12) * 255 - 120, size=(40, 48), mode="bilinear", align_corners=False).double()
style = F.interpolate(torch.rand(1, 3, 6, 7) * 255 - 120, size=(36, 44), mode="bilinear", align_corners=False).double()
with torch.no_grad():
    style_targets = {l: gram(f) for l, f in vgg_forward(style, style_layers).items()}
    content_target = vgg_forward(content, [content_layer])[content_layer]
weights = {l: 1e3 / vgg_forward(style, [l])[l].shape[1] ** 2 for l in style_layers}

image = content.clone().requires_grad_(True)
optimizer = torch.optim.LBFGS([image])  # Gatys' settings: the defaults, max_iter 20 per step
losses = []
budget = 60


def closure():
    optimizer.zero_grad()
    f = vgg_forward(image, style_layers + [content_layer])
    loss = F.mse_loss(f[content_layer], content_target)
    for l in style_layers:
        loss = loss + weights[l] * F.mse_loss(gram(f[l]), style_targets[l])
    loss.backward()
    losses.append(loss.item())
    return loss


while len(losses) < budget:
    optimizer.param_groups[0]["max_iter"] = min(20, budget - len(losses))
    optimizer.param_groups[0]["max_eval"] = optimizer.param_groups[0]["max_iter"]
    before = len(losses)
    optimizer.step(closure)
    if len(losses) == before:
        break
save_safetensors(os.path.join(out_dir, "gatys.safetensors"),
                 {"content": content, "style": style, "losses": torch.tensor(losses, dtype=torch.float64),
                  "result": image.detach()})
cases.append({"name": "gatys", "evaluations": len(losses)})

save_index(os.path.join(out_dir, "cases.json"), cases)
print("wrote", len(cases), "style cases")
