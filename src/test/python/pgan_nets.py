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


def mini_batch_stddev(x, group=4):
    """The zoo's minibatch standard deviation: consecutive groups of 4 (all, if 4 does not divide the batch),
    unbiased std over the group (+1e-8 under the root), averaged over channels and pixels, one more channel."""
    n, c, h, w = x.shape
    group = min(n, group)
    if n % group != 0:
        group = n
    if group > 1:
        groups = n // group
        y = torch.sqrt(torch.var(x.reshape(groups, group, c, h, w), 1) + 1e-8)
        y = y.reshape(groups, -1).mean(1).reshape(groups, 1, 1, 1, 1).expand(groups, group, 1, h, w).reshape(n, 1, h, w)
    else:
        y = torch.zeros(n, 1, h, w, dtype=x.dtype)
    return torch.cat([x, y], 1)


class DNet(nn.Module):
    """The zoo's progressive discriminator (DNet) with its module names; alpha is its own (the previous scale's
    share). As the zoo's, it blends the pooled input in only once two or more scales are grown."""

    def __init__(self, depth0, depths, dim_input=3, leak=0.2):
        super().__init__()
        self.scaleLayers = nn.ModuleList()
        self.fromRGBLayers = nn.ModuleList()
        self.mergeLayers = nn.ModuleList()
        self.decisionLayer = Equalized(nn.Linear(depth0, 1))
        self.groupScaleZero = nn.ModuleList([Equalized(nn.Conv2d(depth0 + 1, depth0, 3, padding=1)),
                                             Equalized(nn.Linear(16 * depth0, depth0))])
        self.fromRGBLayers.append(Equalized(nn.Conv2d(dim_input, depth0, 1)))
        last = depth0
        for d in depths:
            self.scaleLayers.append(nn.ModuleList([Equalized(nn.Conv2d(d, d, 3, padding=1)), Equalized(nn.Conv2d(d, last, 3, padding=1))]))
            self.fromRGBLayers.append(Equalized(nn.Conv2d(dim_input, d, 1)))
            last = d
        self.leak = leak

    def forward(self, x, alpha=0.0):
        act = lambda t: F.leaky_relu(t, self.leak)
        n = len(self.scaleLayers)
        merge = alpha > 0 and n > 1
        if merge:
            y = act(self.fromRGBLayers[n - 1](F.avg_pool2d(x, 2)))
        x = act(self.fromRGBLayers[n](x))
        for k in reversed(range(n)):
            for conv in self.scaleLayers[k]:
                x = act(conv(x))
            x = F.avg_pool2d(x, 2)
            if merge and k == n - 1:
                x = alpha * y + (1 - alpha) * x
        x = act(self.groupScaleZero[0](mini_batch_stddev(x)))
        x = act(self.groupScaleZero[1](x.reshape(x.shape[0], -1)))
        return self.decisionLayer(x)


def alpha_schedule(n_jumps, jump_size, iterations):
    """The zoo's alpha (previous scale's share) at each iteration of a new scale: updateAlphaJumps' 'linear' values,
    applied by inScaleUpdate when the iteration reaches each jump."""
    its, vals = [], []
    diff, cur, it = 1.0 / float(n_jumps), 1.0, 0
    while cur > 0:
        its.append(it)
        vals.append(cur)
        it += jump_size
        cur -= diff
    its.append(it)
    vals.append(0.0)
    out, alpha, index = [], 0.0, 0
    for i in range(iterations):
        if index < len(its) and i == its[index]:
            alpha = vals[index]
            index += 1
        out.append(alpha)
    return out


def faded_real(real, alpha):
    """inScaleUpdate's blend of the real batch during a fade-in."""
    if alpha <= 0:
        return real
    low = F.interpolate(F.avg_pool2d(real, (2, 2)), scale_factor=2, mode="nearest")
    return alpha * low + (1 - alpha) * real
