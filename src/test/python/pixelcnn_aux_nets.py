"""Kolesnikov & Lampert's auxiliary-variable PixelCNNs (ICML 2017; their TensorFlow demo kolesman/FaceGeneration,
function PyramidPixelCNN), re-written in PyTorch for GenIJ's oracle from the paper's and demo's facts, with GenIJ's
module names (its state-dict keys) and weight norm on every layer:

- the conditioning network: conv_first 3x3 on the auxiliary image; `levels` resolutions of `blocks` gated blocks
  (centred 3x3 convolutions), stride-2 convolutions between them, every block's output kept as a skip; back up
  through stride-2 transposed convolutions (3x3, output exactly twice the size, then cut to the skip's size), each
  block taking a skip; for the pyramid one resolution further up (blocks without skips) to the conditioned image's
  size; conv_representation 3x3;
- the causal stack: PixelCNN++'s first layers, then `blocks` gated blocks per stream with 3x3 shifted convolutions,
  the vertical stream reading the features through a 1x1 convolution, the horizontal one reading the vertical
  stream and the features; a 1x1 output layer to the logistic mixture's parameters;
- the Grayscale PixelCNN: a PixelCNN++ over the 4-bit grey image g (the top 4 bits of the BT.601 luma, rounded
  half up), and the image given g;
- the Pyramid PixelCNN: level k = the mean of 2^k blocks (inside the image), rounded half to even; level k given
  level k+1, the coarsest unconditional; each level's per-pixel loss spread evenly over the image pixels of its
  block for the map.
GenIJ's choices where the demo is silent or TensorFlow-specific (PyTorch padding for the stride-2 convolutions,
sizes that are not powers of two) are the same as its Java code's; these are its own words, not the demo's code."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm

from pixelcnn_nets import (PixelCNN, concat_elu, nin, down_shifted_conv2d, down_right_shifted_conv2d, gated_resnet,
                           nll_per_pixel)


class centred_conv2d(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.conv = weight_norm(nn.Conv2d(n_in, n_out, 3, padding=1))

    def forward(self, x):
        return self.conv(x)


def down3(n_in, n_out):
    return down_shifted_conv2d(n_in, n_out, (3, 3))


def down_right3(n_in, n_out):
    return down_right_shifted_conv2d(n_in, n_out, (3, 3))


class Conditioning(nn.Module):
    def __init__(self, aux_channels, filters, levels, blocks, upscale):
        super().__init__()
        self.levels, self.blocks, self.upscale = levels, blocks, upscale
        ups = levels + 1 if upscale else levels
        self.conv_first = weight_norm(nn.Conv2d(aux_channels, filters, 3, padding=1))
        self.down_blocks = nn.ModuleList([gated_resnet(filters, centred_conv2d, 0) for _ in range(levels * blocks)])
        self.downsample = nn.ModuleList([weight_norm(nn.Conv2d(filters, filters, 3, stride=2, padding=1))
                                         for _ in range(levels - 1)])
        self.up_blocks = nn.ModuleList([gated_resnet(filters, centred_conv2d, 1 if i < levels * blocks else 0)
                                        for i in range(ups * blocks)])
        self.upsample = nn.ModuleList([weight_norm(nn.ConvTranspose2d(filters, filters, 3, stride=2, padding=1,
                                                                      output_padding=1)) for _ in range(ups - 1)])
        self.conv_representation = weight_norm(nn.Conv2d(filters, filters, 3, padding=1))

    def forward(self, aux, h, w):
        x = self.conv_first(aux)
        skips = []
        b = 0
        for i in range(self.levels):
            for _ in range(self.blocks):
                x = self.down_blocks[b](x)
                b += 1
                skips.append(x)
            if i < self.levels - 1:
                x = self.downsample[i](x)
        ups = self.levels + 1 if self.upscale else self.levels
        b = 0
        for i in range(ups):
            for _ in range(self.blocks):
                x = self.up_blocks[b](x, skips.pop() if skips else None)
                b += 1
            if i < ups - 1:
                x = self.upsample[i](x)
                th, tw = (skips[-1].shape[2], skips[-1].shape[3]) if skips else (h, w)
                x = x[:, :, :th, :tw]
        return self.conv_representation(x)


class ConditionalPixelCNN(nn.Module):
    def __init__(self, channels, aux_channels, upscale, filters, blocks, mix, levels, aux_blocks):
        super().__init__()
        self.channels = channels
        if aux_channels:
            self.conditioning = Conditioning(aux_channels, filters, levels, aux_blocks, upscale)
        else:
            self.conditioning = None
        self.u_init = down_shifted_conv2d(channels + 1, filters, (2, 3), shift_output_down=True)
        self.ul_init = nn.ModuleList([down_shifted_conv2d(channels + 1, filters, (1, 3), shift_output_down=True),
                                      down_right_shifted_conv2d(channels + 1, filters, (2, 1), shift_output_right=True)])
        skip = 1 if aux_channels else 0
        self.u_stream = nn.ModuleList([gated_resnet(filters, down3, skip) for _ in range(blocks)])
        self.ul_stream = nn.ModuleList([gated_resnet(filters, down_right3, skip + 1) for _ in range(blocks)])
        self.nin_out = nin(filters, (10 if channels == 3 else 3) * mix)

    def forward(self, x, aux=None):
        f = self.conditioning(aux, x.shape[2], x.shape[3]) if self.conditioning is not None else None
        x = torch.cat((x, torch.ones_like(x[:, :1])), 1)
        u = self.u_init(x)
        ul = self.ul_init[0](x) + self.ul_init[1](x)
        for a, b in zip(self.u_stream, self.ul_stream):
            u = a(u, f)
            ul = b(ul, u if f is None else torch.cat((u, f), 1))
        return self.nin_out(F.elu(ul))


def grey4(levels):
    """[N,C,H,W] 8-bit levels (float64 tensor) -> [N,1,H,W] 4-bit levels."""
    if levels.shape[1] == 1:
        luma = levels
    else:
        luma = torch.floor(0.299 * levels[:, 0:1] + 0.587 * levels[:, 1:2] + 0.114 * levels[:, 2:3] + 0.5)
    return torch.div(luma, 16, rounding_mode='floor')


def pyramid_level(levels, k):
    if k == 0:
        return levels
    b = 2 ** k
    sums = F.avg_pool2d(levels, b, stride=b, ceil_mode=True, divisor_override=1)
    counts = F.avg_pool2d(torch.ones_like(levels[:, :1]), b, stride=b, ceil_mode=True, divisor_override=1)
    return torch.round(sums / counts)


class GrayscalePixelCNN(nn.Module):
    def __init__(self, channels, nr_resnet, filters, mix, colour_blocks, levels, aux_blocks):
        super().__init__()
        self.grey = PixelCNN(nr_resnet=nr_resnet, nr_filters=filters, nr_logistic_mix=mix, input_channels=1)
        self.colour = ConditionalPixelCNN(channels, 1, False, filters, colour_blocks, mix, levels, aux_blocks)

    def nats(self, levels):
        g = grey4(levels) / 7.5 - 1.
        x = levels / 127.5 - 1.
        return nll_per_pixel(g, self.grey(g), 16) + nll_per_pixel(x, self.colour(x, g))


class PyramidPixelCNN(nn.Module):
    def __init__(self, channels, pyramid_levels, filters, mix, blocks, levels, aux_blocks):
        super().__init__()
        self.scales = nn.ModuleList([ConditionalPixelCNN(channels, 0 if k == pyramid_levels - 1 else channels, True,
                                                         filters, blocks, mix, levels, aux_blocks)
                                     for k in range(pyramid_levels)])

    def level_params(self, levels, k, level_k=None, coarser=None):
        """Level k's mixture parameters given the coarser level (both as levels)."""
        x = level_k / 127.5 - 1.
        aux = None if coarser is None else coarser / 127.5 - 1.
        return self.scales[k](x, aux)

    def nats(self, levels):
        h, w = levels.shape[2], levels.shape[3]
        total = 0
        for k in range(len(self.scales)):
            lk = pyramid_level(levels, k)
            coarser = pyramid_level(levels, k + 1) if k + 1 < len(self.scales) else None
            nats = nll_per_pixel(lk / 127.5 - 1., self.level_params(levels, k, lk, coarser))
            if k:
                b = 2 ** k
                counts = F.avg_pool2d(torch.ones_like(levels[:, :1]), b, stride=b, ceil_mode=True, divisor_override=1)[:, 0]
                nats = (nats / counts).repeat_interleave(b, 1).repeat_interleave(b, 2)[:, :h, :w]
            total = total + nats
        return total
