"""facebookresearch/pytorch_GAN_zoo's progressive generator (models/networks/progressive_conv_net.py: GNet) re-written in
plain torch for the oracle, with the same module names (so the same state-dict keys). Its equalised layers multiply
the layer's whole output, bias included, by sqrt(2 / fan_in); its alpha is the share of the previous scale (0 = fully
grown)."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class Equalized(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module
        self.module.bias.data.fill_(0)
        self.module.weight.data.normal_(0, 1)
        self.scale = math.sqrt(2.0 / self.module.weight[0].numel())

    def forward(self, x):
        return self.module(x) * self.scale


def pixel_norm(x):
    return x * ((x ** 2).mean(dim=1, keepdim=True) + 1e-8).rsqrt()


def upscale(x):
    return F.interpolate(x, scale_factor=2, mode="nearest")


class GNet(nn.Module):
    def __init__(self, dim_latent, depth0, depths, dim_output=3, leak=0.2, activation=None):
        super().__init__()
        self.formatLayer = Equalized(nn.Linear(dim_latent, 16 * depth0))
        self.groupScale0 = nn.ModuleList([Equalized(nn.Conv2d(depth0, depth0, 3, padding=1))])
        self.toRGBLayers = nn.ModuleList([Equalized(nn.Conv2d(depth0, dim_output, 1))])
        self.scaleLayers = nn.ModuleList()
        last = depth0
        for d in depths:
            self.scaleLayers.append(nn.ModuleList([Equalized(nn.Conv2d(last, d, 3, padding=1)), Equalized(nn.Conv2d(d, d, 3, padding=1))]))
            self.toRGBLayers.append(Equalized(nn.Conv2d(d, dim_output, 1)))
            last = d
        self.leak, self.activation, self.depth0 = leak, activation, depth0

    def forward(self, z, scales=None, alpha=0.0):
        """scales: how many grown scales to run (default all); alpha: the zoo's (share of the previous scale)."""
        n = len(self.scaleLayers) if scales is None else scales
        x = pixel_norm(z)
        x = F.leaky_relu(self.formatLayer(x), self.leak).view(z.size(0), -1, 4, 4)
        x = pixel_norm(x)
        for conv in self.groupScale0:
            x = pixel_norm(F.leaky_relu(conv(x), self.leak))
        y = None
        if alpha > 0 and n >= 1:
            y = upscale(self.toRGBLayers[n - 1](x)) if n == 1 else None
        for k in range(n):
            x = upscale(x)
            for conv in self.scaleLayers[k]:
                x = pixel_norm(F.leaky_relu(conv(x), self.leak))
            if alpha > 0 and k == n - 2:
                y = upscale(self.toRGBLayers[n - 1](x))
        x = self.toRGBLayers[n](x)
        if alpha > 0 and y is not None:
            x = alpha * y + (1 - alpha) * x
        if self.activation is not None:
            x = self.activation(x)
        return x
