"""rosinality's first StyleGAN generator (style-based-gan-pytorch, model.py: StyledGenerator) re-written in plain torch
for the oracle, with the same module names (so the same state-dict keys) but widths, fused blocks and mapping depth
as arguments, so that a small network stands in for the 1024-px one. Equalised learning rate as the reference
computes it: weight_orig * sqrt(2 / fan_in), fan_in = size(1) * weight[0][0].numel()."""
import math

import torch
import torch.nn.functional as F
from torch import nn


def scaled(w):
    return w * math.sqrt(2 / (w.size(1) * w[0][0].numel()))


class Conv(nn.Module):
    def __init__(self, cin, cout, k, padding=0):
        super().__init__()
        self.weight_orig = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.padding = padding

    def forward(self, x):
        return F.conv2d(x, scaled(self.weight_orig), self.bias, padding=self.padding)


class EqualConv2d(nn.Module):
    def __init__(self, cin, cout, k, padding=0):
        super().__init__()
        self.conv = Conv(cin, cout, k, padding)

    def forward(self, x):
        return self.conv(x)


class Linear(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.weight_orig = nn.Parameter(torch.randn(dout, din))
        self.bias = nn.Parameter(torch.zeros(dout))

    def forward(self, x):
        return F.linear(x, scaled(self.weight_orig), self.bias)


class EqualLinear(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.linear = Linear(din, dout)

    def forward(self, x):
        return self.linear(x)


class Blur(nn.Module):
    def __init__(self, channel):
        super().__init__()
        k = torch.tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=torch.float32).view(1, 1, 3, 3)
        k = k / k.sum()
        self.register_buffer("weight", k.repeat(channel, 1, 1, 1))
        self.register_buffer("weight_flip", torch.flip(k, [2, 3]).repeat(channel, 1, 1, 1))

    def forward(self, x):
        return F.conv2d(x, self.weight, padding=1, groups=x.shape[1])


class FusedUpsample(nn.Module):
    def __init__(self, cin, cout, k, padding=0):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cin, cout, k, k))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.multiplier = math.sqrt(2 / (cin * k * k))
        self.pad = padding

    def forward(self, x):
        w = F.pad(self.weight * self.multiplier, [1, 1, 1, 1])
        w = (w[:, :, 1:, 1:] + w[:, :, :-1, 1:] + w[:, :, 1:, :-1] + w[:, :, :-1, :-1]) / 4
        return F.conv_transpose2d(x, w, self.bias, stride=2, padding=self.pad)


class AdaptiveInstanceNorm(nn.Module):
    def __init__(self, channel, style_dim):
        super().__init__()
        self.norm = nn.InstanceNorm2d(channel)
        self.style = EqualLinear(style_dim, channel * 2)
        self.style.linear.bias.data[:channel] = 1
        self.style.linear.bias.data[channel:] = 0

    def forward(self, x, style):
        gamma, beta = self.style(style).unsqueeze(2).unsqueeze(3).chunk(2, 1)
        return gamma * self.norm(x) + beta


class NoiseInjection(nn.Module):
    def __init__(self, channel):
        super().__init__()
        self.weight_orig = nn.Parameter(torch.zeros(1, channel, 1, 1))

    def forward(self, x, noise):
        return x + scaled(self.weight_orig) * noise


class ConstantInput(nn.Module):
    def __init__(self, channel):
        super().__init__()
        self.input = nn.Parameter(torch.randn(1, channel, 4, 4))

    def forward(self, batch):
        return self.input.repeat(batch, 1, 1, 1)


class StyledConvBlock(nn.Module):
    def __init__(self, cin, cout, style_dim, initial=False, fused=False):
        super().__init__()
        self.initial = initial
        if initial:
            self.conv1 = ConstantInput(cin)
        elif fused:
            self.conv1 = nn.Sequential(FusedUpsample(cin, cout, 3, padding=1), Blur(cout))
        else:
            self.conv1 = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), EqualConv2d(cin, cout, 3, padding=1), Blur(cout))
        self.noise1 = NoiseInjection(cout)
        self.adain1 = AdaptiveInstanceNorm(cout, style_dim)
        self.conv2 = EqualConv2d(cout, cout, 3, padding=1)
        self.noise2 = NoiseInjection(cout)
        self.adain2 = AdaptiveInstanceNorm(cout, style_dim)

    def forward(self, x, style, noise, batch):
        out = self.conv1(batch) if self.initial else self.conv1(x)
        out = self.adain1(F.leaky_relu(self.noise1(out, noise), 0.2), style)
        out = self.conv2(out)
        return self.adain2(F.leaky_relu(self.noise2(out, noise), 0.2), style)


class Generator(nn.Module):
    def __init__(self, widths, fused, style_dim):
        super().__init__()
        self.progression = nn.ModuleList(
            [StyledConvBlock(widths[max(i - 1, 0)], widths[i], style_dim, initial=i == 0, fused=fused[i]) for i in range(len(widths))])
        self.to_rgb = nn.ModuleList([EqualConv2d(w, 3, 1) for w in widths])

    def forward(self, styles, noise, step, alpha):
        """styles: one [N, D] per block up to step; noise: one [N, 1, s, s] (or None) per block."""
        out, prev = None, None
        for i in range(step + 1):
            prev = out
            n = noise[i] if noise[i] is not None else 0
            out = self.progression[i](out, styles[i], n, styles[i].shape[0])
        rgb = self.to_rgb[step](out)
        if step > 0 and 0 <= alpha < 1:
            skip = F.interpolate(self.to_rgb[step - 1](prev), scale_factor=2, mode="nearest")
            rgb = (1 - alpha) * skip + alpha * rgb
        return rgb


class StyledGenerator(nn.Module):
    def __init__(self, widths, fused, style_dim, n_mlp):
        super().__init__()
        self.generator = Generator(widths, fused, style_dim)
        layers = [nn.Identity()]  # PixelNorm, applied in style()
        for _ in range(n_mlp):
            layers += [EqualLinear(style_dim, style_dim), nn.LeakyReLU(0.2)]
        self.style = nn.Sequential(*layers)

    def map(self, z):
        return self.style(z * torch.rsqrt(torch.mean(z ** 2, dim=1, keepdim=True) + 1e-8))
