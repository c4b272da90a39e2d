"""One fast-style training step as pytorch/examples' fast_neural_style/neural_style.py train computes it (transformer
forward, VGG features of the output and the input, content MSE at relu2_2 times content_weight, Gram (normalised by
C*H*W) MSE at relu1_2, relu2_2, relu3_3, relu4_3 times style_weight), with the VGG-19 GenIJ used (FOLDER/vgg.pth, Gatys
naming, fed in Caffe's BGR 0..255-minus-mean convention as GenIJ's built-in network is) where the reference has VGG-16,
on the transformer GenIJ exported (FOLDER/transformer.pth, loaded with strict=True; conditional instance norm when it has
several styles), the batch in FOLDER/inputs.safetensors ('x', 'style'), settings in FOLDER/settings.json.
Writes FOLDER/check.safetensors: the two losses and every transformer parameter's gradient.
Usage: fast_style_train_check.py FOLDER"""
import json
import os
import sys

import torch
import torch.nn.functional as F

from oracle_io import load_safetensors, save_safetensors
from style_nets import TransformerNet

folder = sys.argv[1]
with open(os.path.join(folder, "settings.json")) as f:
    s = json.load(f)
net = TransformerNet(s["styles"])
net.load_state_dict(torch.load(os.path.join(folder, "transformer.pth")), strict=True)
net.double().train()
net.use_style(s["style_index"])
vgg = {k: v.double() for k, v in torch.load(os.path.join(folder, "vgg.pth")).items()}
BLOCKS = [["1_1", "1_2"], ["2_1", "2_2"], ["3_1", "3_2", "3_3", "3_4"], ["4_1", "4_2", "4_3", "4_4"]]
MEAN = torch.tensor([103.939, 116.779, 123.68], dtype=torch.float64).view(1, 3, 1, 1)


def caffe(x):  # RGB 0..255 -> BGR minus the mean
    return x.flip(1) - MEAN


def features(x):
    out, y = {}, caffe(x)
    for b, block in enumerate(BLOCKS):
        if b > 0:
            y = F.max_pool2d(y, 2, 2)
        for name in block:
            y = F.relu(F.conv2d(y, vgg["conv%s.weight" % name], vgg["conv%s.bias" % name], padding=1))
            out["r" + name.replace("_", "")] = y
    return out


def gram(y):
    b, ch, h, w = y.size()
    f = y.view(b, ch, w * h)
    return f.bmm(f.transpose(1, 2)) / (ch * h * w)


t = load_safetensors(os.path.join(folder, "inputs.safetensors"))
x, style = t["x"].double(), t["style"].double()
with torch.no_grad():
    gram_style = {k: gram(v) for k, v in features(style).items()}
y = net(x)
fy, fx = features(y), features(x)
content_loss = s["content_weight"] * F.mse_loss(fy["r22"], fx["r22"])
style_loss = 0.0
for layer in ("r12", "r22", "r33", "r43"):
    gm = gram_style[layer].expand(x.shape[0], -1, -1)
    style_loss = style_loss + F.mse_loss(gram(fy[layer]), gm)
style_loss = style_loss * s["style_weight"]
(content_loss + style_loss).backward()
out = {"content": content_loss.detach().reshape(1), "style": style_loss.detach().reshape(1)}
for k, p in net.named_parameters():
    out["grad." + k] = p.grad.clone()
save_safetensors(os.path.join(folder, "check.safetensors"), out)
