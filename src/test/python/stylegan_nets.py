"""NVIDIA's StyleGAN2-ADA generator (training/networks.py of NVlabs/stylegan2-ada-pytorch), re-written in
plain torch for the oracle: the same modules, attribute names (so the same state_dict keys), gains, filters
and the reference (non-CUDA) paths of upfirdn2d, bias_act and conv2d_resample, with fp16 left out (the CPU
runs float32). Written from the reference's documented behaviour; nothing is imported from it."""
import math

import numpy as np
import torch
import torch.nn.functional as F

SQRT2 = math.sqrt(2.0)


def setup_filter(taps):
    f = torch.as_tensor(taps, dtype=torch.float32)
    f = torch.outer(f, f)
    return f / f.sum()


def upfirdn2d(x, f, up=1, down=1, pad=(0, 0, 0, 0), gain=1.0):
    """Zero-insertion up-sampling, padding (x0, x1, y0, y1), FIR filtering (true convolution), decimation."""
    n, c, h, w = x.shape
    if up > 1:
        x = x.reshape(n, c, h, 1, w, 1)
        x = F.pad(x, [0, up - 1, 0, 0, 0, up - 1])
        x = x.reshape(n, c, h * up, w * up)
    x0, x1, y0, y1 = pad
    x = F.pad(x, [max(x0, 0), max(x1, 0), max(y0, 0), max(y1, 0)])
    x = x[:, :, max(-y0, 0):x.shape[2] - max(-y1, 0), max(-x0, 0):x.shape[3] - max(-x1, 0)]
    f = (f * (gain ** (f.ndim / 2))).flip([0, 1])
    f = f[None, None].repeat(c, 1, 1, 1)
    x = F.conv2d(x, f, groups=c)
    return x[:, :, ::down, ::down]


def bias_act(x, b, act="linear", gain=None, clamp=None):
    if b is not None:
        x = x + b.reshape([1, -1] + [1] * (x.ndim - 2))
    if act == "lrelu":
        x = F.leaky_relu(x, 0.2)
        gain = SQRT2 if gain is None else gain
    else:
        gain = 1.0 if gain is None else gain
    if gain != 1:
        x = x * gain
    if clamp is not None and clamp >= 0:
        x = x.clamp(-clamp, clamp)
    return x


def conv_up2(x, w, f, padding, groups=1):
    """conv2d_resample with up=2 (kernel > 1): a transposed convolution, then the FIR filter."""
    o, i, kh, kw = w.shape
    fw = f.shape[-1]
    px0 = padding + (fw + 1) // 2 - (kw - 1)
    px1 = padding + (fw - 2) // 2 - (kw - 2)
    if groups == 1:
        wt = w.transpose(0, 1)
    else:
        wt = w.reshape(groups, o // groups, i, kh, kw).transpose(1, 2).reshape(groups * i, o // groups, kh, kw)
    x = F.conv_transpose2d(x, wt, stride=2, groups=groups)
    return upfirdn2d(x, f, pad=(px0, px1, px0, px1), gain=4)


def modulated_conv2d(x, weight, styles, noise=None, up=1, padding=0, f=None, demodulate=True):
    n = x.shape[0]
    o, i, kh, kw = weight.shape
    w = weight.unsqueeze(0) * styles.reshape(n, 1, -1, 1, 1)
    if demodulate:
        d = (w.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt()
        w = w * d.reshape(n, -1, 1, 1, 1)
    x = x.reshape(1, -1, *x.shape[2:])
    w = w.reshape(-1, i, kh, kw)
    if up == 2:
        # NVIDIA calls the up-sampling path with flip_weight=False: a true convolution
        x = conv_up2(x, w, f, padding, groups=n)
    else:
        x = F.conv2d(x, w, padding=padding, groups=n)
    x = x.reshape(n, -1, *x.shape[2:])
    if noise is not None:
        x = x + noise
    return x


class FullyConnectedLayer(torch.nn.Module):
    def __init__(self, fin, fout, bias=True, activation="linear", lr_multiplier=1.0, bias_init=0.0):
        super().__init__()
        self.activation = activation
        self.weight = torch.nn.Parameter(torch.randn([fout, fin]) / lr_multiplier)
        self.bias = torch.nn.Parameter(torch.full([fout], float(bias_init))) if bias else None
        self.weight_gain = lr_multiplier / np.sqrt(fin)
        self.bias_gain = lr_multiplier

    def forward(self, x):
        w = self.weight * self.weight_gain
        b = self.bias * self.bias_gain if self.bias is not None else None
        if self.activation == "linear" and b is not None:
            return torch.addmm(b.unsqueeze(0), x, w.t())
        return bias_act(x.matmul(w.t()), b, act=self.activation)


class Conv2dLayer(torch.nn.Module):
    """Only what the resnet generator uses: a 1x1 up-sampling skip without bias."""

    def __init__(self, cin, cout, kernel_size, bias=True, up=1):
        super().__init__()
        self.up = up
        self.register_buffer("resample_filter", setup_filter([1, 3, 3, 1]))
        self.weight_gain = 1 / np.sqrt(cin * kernel_size ** 2)
        self.weight = torch.nn.Parameter(torch.randn([cout, cin, kernel_size, kernel_size]))
        self.bias = torch.nn.Parameter(torch.zeros([cout])) if bias else None

    def forward(self, x, gain=1):
        w = self.weight * self.weight_gain
        # conv2d_resample, 1x1 kernel with up: the convolution first, then up-sampling by the FIR filter
        x = F.conv2d(x, w)
        fw = self.resample_filter.shape[-1]
        x = upfirdn2d(x, self.resample_filter, up=2, pad=((fw + 1) // 2, (fw - 2) // 2, (fw + 1) // 2, (fw - 2) // 2),
                      gain=4)
        return bias_act(x, self.bias, gain=gain)


class MappingNetwork(torch.nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, num_ws, num_layers=8, lr_multiplier=0.01):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.num_ws, self.num_layers = z_dim, c_dim, w_dim, num_ws, num_layers
        embed = w_dim if c_dim > 0 else 0
        features = [z_dim + embed] + [w_dim] * num_layers
        if c_dim > 0:
            self.embed = FullyConnectedLayer(c_dim, embed)
        for k in range(num_layers):
            setattr(self, "fc%d" % k, FullyConnectedLayer(features[k], features[k + 1], activation="lrelu",
                                                          lr_multiplier=lr_multiplier))
        self.register_buffer("w_avg", torch.zeros([w_dim]))

    def forward(self, z, c, truncation_psi=1, truncation_cutoff=None):
        x = None
        if self.z_dim > 0:
            z = z.to(torch.float32)
            x = z * (z.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt()
        if self.c_dim > 0:
            y = self.embed(c.to(torch.float32))
            y = y * (y.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt()
            x = torch.cat([x, y], dim=1) if x is not None else y
        for k in range(self.num_layers):
            x = getattr(self, "fc%d" % k)(x)
        x = x.unsqueeze(1).repeat([1, self.num_ws, 1])
        if truncation_psi != 1:
            if truncation_cutoff is None:
                x = self.w_avg.lerp(x, truncation_psi)
            else:
                x[:, :truncation_cutoff] = self.w_avg.lerp(x[:, :truncation_cutoff], truncation_psi)
        return x


class SynthesisLayer(torch.nn.Module):
    def __init__(self, cin, cout, w_dim, resolution, up=1, conv_clamp=None):
        super().__init__()
        self.resolution, self.up, self.conv_clamp = resolution, up, conv_clamp
        self.register_buffer("resample_filter", setup_filter([1, 3, 3, 1]))
        self.padding = 1
        self.affine = FullyConnectedLayer(w_dim, cin, bias_init=1)
        self.weight = torch.nn.Parameter(torch.randn([cout, cin, 3, 3]))
        self.register_buffer("noise_const", torch.randn([resolution, resolution]))
        self.noise_strength = torch.nn.Parameter(torch.zeros([]))
        self.bias = torch.nn.Parameter(torch.zeros([cout]))

    def forward(self, x, w, noise_mode="const", gain=1):
        styles = self.affine(w)
        noise = self.noise_const * self.noise_strength if noise_mode == "const" else None
        x = modulated_conv2d(x, self.weight, styles, noise=noise, up=self.up, padding=self.padding, f=self.resample_filter)
        clamp = self.conv_clamp * gain if self.conv_clamp is not None else None
        return bias_act(x, self.bias, act="lrelu", gain=SQRT2 * gain, clamp=clamp)


class ToRGBLayer(torch.nn.Module):
    def __init__(self, cin, cout, w_dim, conv_clamp=None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, cin, bias_init=1)
        self.weight = torch.nn.Parameter(torch.randn([cout, cin, 1, 1]))
        self.bias = torch.nn.Parameter(torch.zeros([cout]))
        self.weight_gain = 1 / np.sqrt(cin)

    def forward(self, x, w):
        styles = self.affine(w) * self.weight_gain
        x = modulated_conv2d(x, self.weight, styles, demodulate=False)
        return bias_act(x, self.bias, clamp=self.conv_clamp)


class SynthesisBlock(torch.nn.Module):
    def __init__(self, cin, cout, w_dim, resolution, img_channels, is_last, architecture="skip", conv_clamp=None):
        super().__init__()
        self.in_channels, self.resolution, self.is_last, self.architecture = cin, resolution, is_last, architecture
        self.register_buffer("resample_filter", setup_filter([1, 3, 3, 1]))
        self.num_conv = 0
        self.num_torgb = 0
        if cin == 0:
            self.const = torch.nn.Parameter(torch.randn([cout, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(cin, cout, w_dim, resolution, up=2, conv_clamp=conv_clamp)
            self.num_conv += 1
        self.conv1 = SynthesisLayer(cout, cout, w_dim, resolution, conv_clamp=conv_clamp)
        self.num_conv += 1
        if is_last or architecture == "skip":
            self.torgb = ToRGBLayer(cout, img_channels, w_dim, conv_clamp=conv_clamp)
            self.num_torgb += 1
        if cin != 0 and architecture == "resnet":
            self.skip = Conv2dLayer(cin, cout, 1, bias=False, up=2)

    def forward(self, x, img, ws, noise_mode):
        w = iter(ws.unbind(dim=1))
        if self.in_channels == 0:
            x = self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1])
            x = self.conv1(x, next(w), noise_mode)
        elif self.architecture == "resnet":
            y = self.skip(x, gain=np.sqrt(0.5))
            x = self.conv0(x, next(w), noise_mode)
            x = self.conv1(x, next(w), noise_mode, gain=np.sqrt(0.5))
            x = y + x
        else:
            x = self.conv0(x, next(w), noise_mode)
            x = self.conv1(x, next(w), noise_mode)
        if img is not None:
            fw = self.resample_filter.shape[-1]
            img = upfirdn2d(img, self.resample_filter, up=2, pad=((fw + 1) // 2, (fw - 2) // 2, (fw + 1) // 2, (fw - 2) // 2),
                            gain=4)
        if self.is_last or self.architecture == "skip":
            y = self.torgb(x, next(w))
            img = img + y if img is not None else y
        return x, img


class SynthesisNetwork(torch.nn.Module):
    def __init__(self, w_dim, img_resolution, img_channels, channel_base=32768, channel_max=512, architecture="skip",
                 conv_clamp=None):
        super().__init__()
        self.block_resolutions = [2 ** i for i in range(2, int(np.log2(img_resolution)) + 1)]
        ch = {r: min(channel_base // r, channel_max) for r in self.block_resolutions}
        self.num_ws = 0
        for r in self.block_resolutions:
            block = SynthesisBlock(ch[r // 2] if r > 4 else 0, ch[r], w_dim, r, img_channels, r == img_resolution,
                                   architecture, conv_clamp)
            self.num_ws += block.num_conv + (block.num_torgb if r == img_resolution else 0)
            setattr(self, "b%d" % r, block)

    def forward(self, ws, noise_mode="const"):
        x = img = None
        k = 0
        for r in self.block_resolutions:
            block = getattr(self, "b%d" % r)
            x, img = block(x, img, ws.narrow(1, k, block.num_conv + block.num_torgb), noise_mode)
            k += block.num_conv
        return img


class Generator(torch.nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, img_resolution, img_channels, mapping_layers=8, **synthesis_kwargs):
        super().__init__()
        self.z_dim, self.c_dim = z_dim, c_dim
        self.synthesis = SynthesisNetwork(w_dim, img_resolution, img_channels, **synthesis_kwargs)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim, c_dim, w_dim, self.num_ws, num_layers=mapping_layers)

    def forward(self, z, c, truncation_psi=1, truncation_cutoff=None, noise_mode="const"):
        return self.synthesis(self.mapping(z, c, truncation_psi, truncation_cutoff), noise_mode)


def randomise(g, seed):
    """Random weights everywhere a trained generator has non-trivial values (biases, noise strengths, w_avg)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith("noise_strength"):
                p.copy_(torch.rand([], generator=gen) * 0.5 + 0.05)
            elif name.endswith("bias"):
                p.add_(torch.randn(p.shape, generator=gen) * 0.1)
        g.mapping.w_avg.copy_(torch.randn(g.mapping.w_avg.shape, generator=gen) * 0.3)
