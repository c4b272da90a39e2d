"""rosinality's StyleGAN2 generator (model.py of rosinality/stylegan2-pytorch) re-written in plain torch for the
oracle: the same module names (so the same state_dict keys: style.1.weight, convs.0.conv.weight, noises.noise_0,
...), equalised learning rate, fused (batch-grouped) modulated convolutions, and the native upfirdn2d."""
import math

import torch
import torch.nn.functional as F
from torch import nn

from stylegan_nets import upfirdn2d


def make_kernel(k):
    k = torch.tensor(k, dtype=torch.float32)
    k = k[None, :] * k[:, None]
    return k / k.sum()


def lrelu_bias(x, bias):
    return F.leaky_relu(x + bias.reshape(1, -1, *[1] * (x.ndim - 2)), 0.2) * math.sqrt(2)


class PixelNorm(nn.Module):
    def forward(self, x):
        return x * torch.rsqrt(torch.mean(x ** 2, dim=1, keepdim=True) + 1e-8)


class EqualLinear(nn.Module):
    def __init__(self, din, dout, bias_init=0, lr_mul=1, activation=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(dout, din).div_(lr_mul))
        self.bias = nn.Parameter(torch.zeros(dout).fill_(bias_init))
        self.activation, self.scale, self.lr_mul = activation, (1 / math.sqrt(din)) * lr_mul, lr_mul

    def forward(self, x):
        if self.activation:
            return lrelu_bias(F.linear(x, self.weight * self.scale), self.bias * self.lr_mul)
        return F.linear(x, self.weight * self.scale, bias=self.bias * self.lr_mul)


class Blur(nn.Module):
    def __init__(self, kernel, pad, factor=1):
        super().__init__()
        k = make_kernel(kernel)
        if factor > 1:
            k = k * factor ** 2
        self.register_buffer("kernel", k)
        self.pad = pad

    def forward(self, x):
        return upfirdn2d(x, self.kernel, pad=(self.pad[0], self.pad[1], self.pad[0], self.pad[1]))


class Upsample(nn.Module):
    def __init__(self, kernel, factor=2):
        super().__init__()
        self.register_buffer("kernel", make_kernel(kernel) * factor ** 2)
        p = self.kernel.shape[0] - factor
        self.pad = ((p + 1) // 2 + factor - 1, p // 2)

    def forward(self, x):
        return upfirdn2d(x, self.kernel, up=2, pad=(self.pad[0], self.pad[1], self.pad[0], self.pad[1]))


class ModulatedConv2d(nn.Module):
    def __init__(self, cin, cout, k, style_dim, demodulate=True, upsample=False, blur_kernel=(1, 3, 3, 1)):
        super().__init__()
        self.k, self.cin, self.cout, self.upsample, self.demodulate = k, cin, cout, upsample, demodulate
        if upsample:
            p = (len(blur_kernel) - 2) - (k - 1)
            self.blur = Blur(blur_kernel, pad=((p + 1) // 2 + 1, p // 2 + 1), factor=2)
        self.scale = 1 / math.sqrt(cin * k ** 2)
        self.padding = k // 2
        self.weight = nn.Parameter(torch.randn(1, cout, cin, k, k))
        self.modulation = EqualLinear(style_dim, cin, bias_init=1)

    def forward(self, x, style):
        b, cin, h, w = x.shape
        style = self.modulation(style).view(b, 1, cin, 1, 1)
        weight = self.scale * self.weight * style
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8).view(b, self.cout, 1, 1, 1)
        weight = weight.view(b * self.cout, cin, self.k, self.k)
        if self.upsample:
            x = x.view(1, b * cin, h, w)
            weight = weight.view(b, self.cout, cin, self.k, self.k).transpose(1, 2).reshape(b * cin, self.cout, self.k, self.k)
            out = F.conv_transpose2d(x, weight, padding=0, stride=2, groups=b)
            out = self.blur(out.view(b, self.cout, *out.shape[2:]))
        else:
            out = F.conv2d(x.view(1, b * cin, h, w), weight, padding=self.padding, groups=b)
            out = out.view(b, self.cout, *out.shape[2:])
        return out


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, image, noise):
        return image + self.weight * noise


class FusedLeakyReLU(nn.Module):
    def __init__(self, channel):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channel))

    def forward(self, x):
        return lrelu_bias(x, self.bias)


class StyledConv(nn.Module):
    def __init__(self, cin, cout, k, style_dim, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(cin, cout, k, style_dim, upsample=upsample)
        self.noise = NoiseInjection()
        self.activate = FusedLeakyReLU(cout)

    def forward(self, x, style, noise):
        return self.activate(self.noise(self.conv(x, style), noise))


class ToRGB(nn.Module):
    def __init__(self, cin, style_dim, upsample=True):
        super().__init__()
        if upsample:
            self.upsample = Upsample([1, 3, 3, 1])
        self.conv = ModulatedConv2d(cin, 3, 1, style_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))

    def forward(self, x, style, skip=None):
        out = self.conv(x, style) + self.bias
        return out + self.upsample(skip) if skip is not None else out


class Generator(nn.Module):
    def __init__(self, size, style_dim, n_mlp, channel_multiplier=2, lr_mlp=0.01, channels=None):
        super().__init__()
        self.style = nn.Sequential(PixelNorm(), *[EqualLinear(style_dim, style_dim, lr_mul=lr_mlp, activation="fused_lrelu")
                                                  for _ in range(n_mlp)])
        self.channels = channels or {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * channel_multiplier,
                                     128: 128 * channel_multiplier, 256: 64 * channel_multiplier}
        self.input = nn.Module()
        self.input.input = nn.Parameter(torch.randn(1, self.channels[4], 4, 4))
        self.conv1 = StyledConv(self.channels[4], self.channels[4], 3, style_dim)
        self.to_rgb1 = ToRGB(self.channels[4], style_dim, upsample=False)
        self.log_size = int(math.log(size, 2))
        self.num_layers = (self.log_size - 2) * 2 + 1
        self.convs, self.upsamples, self.to_rgbs, self.noises = nn.ModuleList(), nn.ModuleList(), nn.ModuleList(), nn.Module()
        for i in range(self.num_layers):
            r = (i + 5) // 2
            self.noises.register_buffer("noise_%d" % i, torch.randn(1, 1, 2 ** r, 2 ** r))
        cin = self.channels[4]
        for i in range(3, self.log_size + 1):
            cout = self.channels[2 ** i]
            self.convs.append(StyledConv(cin, cout, 3, style_dim, upsample=True))
            self.convs.append(StyledConv(cout, cout, 3, style_dim))
            self.to_rgbs.append(ToRGB(cout, style_dim))
            cin = cout
        self.n_latent = self.log_size * 2 - 2

    def forward(self, z, truncation=1, truncation_latent=None):
        style = self.style(z)
        if truncation < 1:
            style = truncation_latent + truncation * (style - truncation_latent)
        latent = style.unsqueeze(1).repeat(1, self.n_latent, 1)
        noise = [getattr(self.noises, "noise_%d" % i) for i in range(self.num_layers)]
        out = self.input.input.repeat(z.shape[0], 1, 1, 1)
        out = self.conv1(out, latent[:, 0], noise[0])
        skip = self.to_rgb1(out, latent[:, 1])
        i = 1
        for c1, c2, n1, n2, rgb in zip(self.convs[::2], self.convs[1::2], noise[1::2], noise[2::2], self.to_rgbs):
            out = c1(out, latent[:, i], n1)
            out = c2(out, latent[:, i + 1], n2)
            skip = rgb(out, latent[:, i + 2], skip)
            i += 2
        return skip


# ---- the discriminator and the training losses of rosinality's train.py ----------------------------------------

class EqualConv2d(nn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=0, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.scale, self.stride, self.padding = 1 / math.sqrt(cin * k ** 2), stride, padding
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, bias=self.bias, stride=self.stride, padding=self.padding)


class ConvLayer(nn.Sequential):
    def __init__(self, cin, cout, k, downsample=False, bias=True, activate=True, blur_kernel=(1, 3, 3, 1)):
        layers = []
        if downsample:
            p = (len(blur_kernel) - 2) + (k - 1)
            layers.append(Blur(blur_kernel, pad=((p + 1) // 2, p // 2)))
            stride, padding = 2, 0
        else:
            stride, padding = 1, k // 2
        layers.append(EqualConv2d(cin, cout, k, stride=stride, padding=padding, bias=bias and not activate))
        if activate:
            layers.append(FusedLeakyReLU(cout))
        super().__init__(*layers)


class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = ConvLayer(cin, cin, 3)
        self.conv2 = ConvLayer(cin, cout, 3, downsample=True)
        self.skip = ConvLayer(cin, cout, 1, downsample=True, activate=False, bias=False)

    def forward(self, x):
        return (self.conv2(self.conv1(x)) + self.skip(x)) / math.sqrt(2)


class Discriminator(nn.Module):
    def __init__(self, size, channel_multiplier=2, channels=None):
        super().__init__()
        ch = channels or {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * channel_multiplier,
                          128: 128 * channel_multiplier, 256: 64 * channel_multiplier}
        convs = [ConvLayer(3, ch[size], 1)]
        cin = ch[size]
        for i in range(int(math.log(size, 2)), 2, -1):
            convs.append(ResBlock(cin, ch[2 ** (i - 1)]))
            cin = ch[2 ** (i - 1)]
        self.convs = nn.Sequential(*convs)
        self.stddev_group, self.stddev_feat = 4, 1
        self.final_conv = ConvLayer(cin + 1, ch[4], 3)
        self.final_linear = nn.Sequential(EqualLinear(ch[4] * 4 * 4, ch[4], activation="fused_lrelu"), EqualLinear(ch[4], 1))

    def forward(self, x):
        out = self.convs(x)
        b, c, h, w = out.shape
        group = min(b, self.stddev_group)
        s = out.view(group, -1, self.stddev_feat, c // self.stddev_feat, h, w)
        s = torch.sqrt(s.var(0, unbiased=False) + 1e-8)
        s = s.mean([2, 3, 4], keepdims=True).squeeze(2)
        s = s.repeat(group, 1, h, w)
        out = self.final_conv(torch.cat([out, s], 1))
        return self.final_linear(out.view(b, -1))


def mixed_latents(g, z1, z2, cutoff):
    """rosinality's Generator with two styles and inject_index = cutoff (one style when z2 is None)."""
    w1 = g.style(z1)
    if z2 is None:
        return w1.unsqueeze(1).repeat(1, g.n_latent, 1)
    w2 = g.style(z2)
    return torch.cat([w1.unsqueeze(1).repeat(1, cutoff, 1), w2.unsqueeze(1).repeat(1, g.n_latent - cutoff, 1)], 1)


def synthesis(g, latent, noise):
    """The body of rosinality's Generator.forward for given latents [N, n_latent, style_dim] and noise maps per layer."""
    out = g.input.input.repeat(latent.shape[0], 1, 1, 1)
    out = g.conv1(out, latent[:, 0], noise[0])
    skip = g.to_rgb1(out, latent[:, 1])
    i = 1
    for c1, c2, n1, n2, rgb in zip(g.convs[::2], g.convs[1::2], noise[1::2], noise[2::2], g.to_rgbs):
        out = c1(out, latent[:, i], n1)
        out = c2(out, latent[:, i + 1], n2)
        skip = rgb(out, latent[:, i + 2], skip)
        i += 2
    return skip


def d_logistic_loss(real_pred, fake_pred):
    return F.softplus(-real_pred).mean() + F.softplus(fake_pred).mean()


def d_r1_loss(real_pred, real_img):
    grad_real, = torch.autograd.grad(outputs=real_pred.sum(), inputs=real_img, create_graph=True)
    return grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()


def g_nonsaturating_loss(fake_pred):
    return F.softplus(-fake_pred).mean()


def g_path_regularize(fake_img, latents, mean_path_length, noise, decay=0.01):
    """rosinality's, with the noise (randn_like(fake_img) / sqrt(H W) there) given."""
    grad, = torch.autograd.grad(outputs=(fake_img * noise).sum(), inputs=latents, create_graph=True)
    path_lengths = torch.sqrt(grad.pow(2).sum(2).mean(1))
    path_mean = mean_path_length + decay * (path_lengths.mean() - mean_path_length)
    path_penalty = (path_lengths - path_mean).pow(2).mean()
    return path_penalty, path_mean.detach(), path_lengths
