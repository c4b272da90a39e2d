"""PixelCNN++ as pclucas14/pixel-cnn-pp declares it (module names = its state-dict keys, weight norm on every
layer), re-written for GenIJ's oracle from the architecture's facts: shifted convolutions instead of masks, gated
residual blocks with concat_elu, two down-sampling and two up-sampling stages, and the discretised logistic
mixture. One generalisation, marked below: after each up-sampling the streams are cut to the size of the skip
they meet, so images whose sides are not multiples of 4 run (the reference needs multiples of 4, and for those
the cut removes nothing).

The loss is returned per pixel (summed over the channels, log-sum-exp over the mixture), so that its sum is the
reference's discretized_mix_logistic_loss; sampling takes its uniform draws from the caller."""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm


def concat_elu(x):
    return F.elu(torch.cat([x, -x], 1))


class nin(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.lin_a = weight_norm(nn.Linear(n_in, n_out))

    def forward(self, x):
        y = self.lin_a(x.permute(0, 2, 3, 1))
        return y.permute(0, 3, 1, 2)


class down_shifted_conv2d(nn.Module):
    """Sees the rows above (and its own row, unless the output is shifted down)."""
    def __init__(self, n_in, n_out, filter_size=(2, 3), stride=(1, 1), shift_output_down=False):
        super().__init__()
        self.conv = weight_norm(nn.Conv2d(n_in, n_out, filter_size, stride))
        self.filter_size, self.shift = filter_size, shift_output_down

    def forward(self, x):
        kh, kw = self.filter_size
        x = self.conv(F.pad(x, ((kw - 1) // 2, (kw - 1) // 2, kh - 1, 0)))
        if self.shift:
            x = F.pad(x[:, :, :-1, :], (0, 0, 1, 0))
        return x


class down_right_shifted_conv2d(nn.Module):
    """Sees the rows above and the pixels to the left."""
    def __init__(self, n_in, n_out, filter_size=(2, 2), stride=(1, 1), shift_output_right=False):
        super().__init__()
        self.conv = weight_norm(nn.Conv2d(n_in, n_out, filter_size, stride))
        self.filter_size, self.shift = filter_size, shift_output_right

    def forward(self, x):
        kh, kw = self.filter_size
        x = self.conv(F.pad(x, (kw - 1, 0, kh - 1, 0)))
        if self.shift:
            x = F.pad(x[:, :, :, :-1], (1, 0, 0, 0))
        return x


class down_shifted_deconv2d(nn.Module):
    def __init__(self, n_in, n_out, filter_size=(2, 3), stride=(2, 2)):
        super().__init__()
        self.deconv = weight_norm(nn.ConvTranspose2d(n_in, n_out, filter_size, stride, output_padding=1))
        self.filter_size = filter_size

    def forward(self, x):
        kh, kw = self.filter_size
        x = self.deconv(x)
        return x[:, :, :x.shape[2] - kh + 1, (kw - 1) // 2:x.shape[3] - (kw - 1) // 2]


class down_right_shifted_deconv2d(nn.Module):
    def __init__(self, n_in, n_out, filter_size=(2, 2), stride=(2, 2)):
        super().__init__()
        self.deconv = weight_norm(nn.ConvTranspose2d(n_in, n_out, filter_size, stride, output_padding=1))
        self.filter_size = filter_size

    def forward(self, x):
        kh, kw = self.filter_size
        x = self.deconv(x)
        return x[:, :, :x.shape[2] - kh + 1, :x.shape[3] - kw + 1]


class gated_resnet(nn.Module):
    def __init__(self, filters, conv, skip):
        super().__init__()
        self.conv_input = conv(2 * filters, filters)
        if skip:
            self.nin_skip = nin(2 * skip * filters, filters)
        self.dropout = nn.Dropout2d(0.5)
        self.conv_out = conv(2 * filters, 2 * filters)

    def forward(self, x0, a=None):
        x = self.conv_input(concat_elu(x0))
        if a is not None:
            x = x + self.nin_skip(concat_elu(a))
        x = self.conv_out(self.dropout(concat_elu(x)))
        first, gate = torch.chunk(x, 2, dim=1)
        return x0 + first * torch.sigmoid(gate)


class PixelCNNLayer_up(nn.Module):
    def __init__(self, nr_resnet, filters):
        super().__init__()
        self.u_stream = nn.ModuleList([gated_resnet(filters, down_shifted_conv2d, 0) for _ in range(nr_resnet)])
        self.ul_stream = nn.ModuleList([gated_resnet(filters, down_right_shifted_conv2d, 1) for _ in range(nr_resnet)])

    def forward(self, u, ul):
        us, uls = [], []
        for a, b in zip(self.u_stream, self.ul_stream):
            u = a(u)
            ul = b(ul, u)
            us.append(u)
            uls.append(ul)
        return us, uls


class PixelCNNLayer_down(nn.Module):
    def __init__(self, nr_resnet, filters):
        super().__init__()
        self.u_stream = nn.ModuleList([gated_resnet(filters, down_shifted_conv2d, 1) for _ in range(nr_resnet)])
        self.ul_stream = nn.ModuleList([gated_resnet(filters, down_right_shifted_conv2d, 2) for _ in range(nr_resnet)])

    def forward(self, u, ul, us, uls):
        for a, b in zip(self.u_stream, self.ul_stream):
            u = a(u, us.pop())
            ul = b(ul, torch.cat((u, uls.pop()), 1))
        return u, ul


def cut_to(x, like):
    """GenIJ's generalisation to any size: an up-sampled stream is cut to the size of the skip it meets."""
    return x[:, :, :like.shape[2], :like.shape[3]]


class PixelCNN(nn.Module):
    def __init__(self, nr_resnet=5, nr_filters=80, nr_logistic_mix=10, input_channels=3):
        super().__init__()
        f = nr_filters
        self.down_layers = nn.ModuleList([PixelCNNLayer_down(n, f) for n in [nr_resnet, nr_resnet + 1, nr_resnet + 1]])
        self.up_layers = nn.ModuleList([PixelCNNLayer_up(nr_resnet, f) for _ in range(3)])
        self.downsize_u_stream = nn.ModuleList([down_shifted_conv2d(f, f, stride=(2, 2)) for _ in range(2)])
        self.downsize_ul_stream = nn.ModuleList([down_right_shifted_conv2d(f, f, stride=(2, 2)) for _ in range(2)])
        self.upsize_u_stream = nn.ModuleList([down_shifted_deconv2d(f, f) for _ in range(2)])
        self.upsize_ul_stream = nn.ModuleList([down_right_shifted_deconv2d(f, f) for _ in range(2)])
        self.u_init = down_shifted_conv2d(input_channels + 1, f, (2, 3), shift_output_down=True)
        self.ul_init = nn.ModuleList([down_shifted_conv2d(input_channels + 1, f, (1, 3), shift_output_down=True),
                                      down_right_shifted_conv2d(input_channels + 1, f, (2, 1), shift_output_right=True)])
        mix_params = 3 if input_channels == 1 else 10
        self.nin_out = nin(f, mix_params * nr_logistic_mix)

    def forward(self, x):
        x = torch.cat((x, torch.ones_like(x[:, :1])), 1)
        us = [self.u_init(x)]
        uls = [self.ul_init[0](x) + self.ul_init[1](x)]
        for i in range(3):
            u_out, ul_out = self.up_layers[i](us[-1], uls[-1])
            us += u_out
            uls += ul_out
            if i != 2:
                us.append(self.downsize_u_stream[i](us[-1]))
                uls.append(self.downsize_ul_stream[i](uls[-1]))
        u, ul = us.pop(), uls.pop()
        for i in range(3):
            u, ul = self.down_layers[i](u, ul, us, uls)
            if i != 2:
                u = cut_to(self.upsize_u_stream[i](u), us[-1])
                ul = cut_to(self.upsize_ul_stream[i](ul), uls[-1])
        assert not us and not uls
        return self.nin_out(F.elu(ul))


def unpack(l, channels):
    """Mixture logits [N,M,H,W]; means, log-scales (clamped at -7) and tanh'd coefficients [N,C,M,H,W] (C=1: zeros)."""
    n, p, h, w = l.shape
    m = p // (10 if channels == 3 else 3)
    logits = l[:, :m]
    rest = l[:, m:].reshape(n, channels, -1, h, w)
    means = rest[:, :, :m]
    log_scales = torch.clamp(rest[:, :, m:2 * m], min=-7.)
    coeffs = torch.tanh(rest[:, :, 2 * m:3 * m]) if channels == 3 else torch.zeros_like(means)
    return logits, means, log_scales, coeffs


def nll_per_pixel(x, l, depth=256):
    """-log p of each pixel (all channels), in nats, [N,H,W]; x in [-1,1]; the reference's loss is its sum.
    depth: levels per channel (the reference's 256; 16 for the Grayscale PixelCNN's 4-bit image): bins of 2/(depth-1)."""
    c = x.shape[1]
    logits, means, log_scales, coeffs = unpack(l, c)
    xe = x.unsqueeze(2)  # [N,C,1,H,W]
    if c == 3:
        m1 = means[:, 1] + coeffs[:, 0] * xe[:, 0]
        m2 = means[:, 2] + coeffs[:, 1] * xe[:, 0] + coeffs[:, 2] * xe[:, 1]
        means = torch.stack((means[:, 0], m1, m2), 1)
    centred = xe - means
    inv_s = torch.exp(-log_scales)
    plus_in = inv_s * (centred + 1. / (depth - 1))
    min_in = inv_s * (centred - 1. / (depth - 1))
    cdf_delta = torch.sigmoid(plus_in) - torch.sigmoid(min_in)
    log_cdf_plus = plus_in - F.softplus(plus_in)
    log_one_minus_cdf_min = -F.softplus(min_in)
    mid_in = inv_s * centred
    log_pdf_mid = mid_in - log_scales - 2. * F.softplus(mid_in)
    inner_inner_cond = (cdf_delta > 1e-5).float()
    inner_inner = inner_inner_cond * torch.log(torch.clamp(cdf_delta, min=1e-12)) + \
        (1. - inner_inner_cond) * (log_pdf_mid - np.log((depth - 1) / 2.))
    top = (xe > 0.999).float()
    inner = top * log_one_minus_cdf_min + (1. - top) * inner_inner
    bottom = (xe < -0.999).float()
    log_probs = bottom * log_cdf_plus + (1. - bottom) * inner
    log_probs = log_probs.sum(1) + F.log_softmax(logits, 1)
    return -torch.logsumexp(log_probs, 1)


def sample_pixel(l_pixel, channels, mixture_u, channel_u, temperature=1.0, depth=256):
    """One pixel from its mixture parameters l_pixel [P] (float64 numpy) and uniforms in (0,1): the component by
    Gumbel-max, then each channel's logistic draw (log-scale + log(temperature), then clamped at -7), clamped to
    [-1,1] and rounded to its level (8-bit unless depth says otherwise) before the next channel is conditioned on it. Returns the 8-bit values."""
    m = len(l_pixel) // (10 if channels == 3 else 3)
    logits = l_pixel[:m]
    rest = l_pixel[m:].reshape(channels, -1)
    scores = [logits[j] - math.log(-math.log(1e-5 + (1. - 2e-5) * mixture_u[j])) for j in range(m)]
    k = max(range(m), key=lambda j: (scores[j], -j))  # the first of equal maxima, as argmax
    values, levels = [], []
    for c in range(channels):
        mean = rest[c, k]
        log_s = max(rest[c, m + k] + math.log(temperature), -7.)  # Kolesnikov & Lampert's scale_var = log T
        if channels == 3:
            coeff = [math.tanh(rest[c2, 2 * m + k]) for c2 in range(3)]
            if c == 1:
                mean += coeff[0] * values[0]
            elif c == 2:
                mean += coeff[1] * values[0] + coeff[2] * values[1]
        v = 1e-5 + (1. - 2e-5) * channel_u[c]
        x = mean + math.exp(log_s) * (math.log(v) - math.log(1. - v))
        half = (depth - 1) / 2.
        level = int(np.floor((min(max(x, -1.), 1.) + 1.) * half + 0.5))
        levels.append(level)
        values.append(level / half - 1.)
    return levels


def perturb(net, seed=None):
    """Random weight-normed weights as a trained file has them: each g away from ||v|| (so folding the norm
    matters) and biases away from zero; eval mode. seed: reseed torch first (None: go on from where it is)."""
    if seed is not None:
        torch.manual_seed(seed)
    with torch.no_grad():
        for k, p in net.named_parameters():
            if k.endswith("weight_g"):
                p.mul_(torch.empty_like(p).uniform_(0.5, 1.5))
            elif k.endswith("bias"):
                p.uniform_(-0.2, 0.2)
    net.eval()
    return net
