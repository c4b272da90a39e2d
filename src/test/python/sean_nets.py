"""ZPdesu/SEAN's generator (models/networks/generator.py, architecture.py, normalization.py) re-written in plain
torch for the oracle, with the reference's module names (so its state-dict keys): SPADEGenerator with a Zencoder and
SPADE residual blocks whose norms are ACE blocks (ace_0, ace_1, ace_s, each holding a SPADE as 'Spade', fc_mu0..18,
conv_gamma, conv_beta, blending_gamma/beta and noise_var; up_3's ACE without the style part). The style length (512)
and the Zencoder's width (32) are parameters so the oracle can make small networks; the reference's per-pixel noise
(torch.randn(...).cuda() inside ACE.forward) is an input here, zero unless given."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

from spade_nets import SPADE


class ACE(nn.Module):
    def __init__(self, norm_nc, label_nc, use_rgb=True, style_length=512):
        super().__init__()
        self.Spade = SPADE(norm_nc, label_nc)
        self.use_rgb, self.style_length = use_rgb, style_length
        self.blending_gamma = nn.Parameter(torch.zeros(1))
        self.blending_beta = nn.Parameter(torch.zeros(1))
        self.noise_var = nn.Parameter(torch.zeros(norm_nc))
        self.param_free_norm = nn.BatchNorm2d(norm_nc, affine=False)
        if use_rgb:
            for j in range(19):
                setattr(self, "fc_mu%d" % j, nn.Linear(style_length, style_length))
            self.conv_gamma = nn.Conv2d(style_length, norm_nc, kernel_size=3, padding=1)
            self.conv_beta = nn.Conv2d(style_length, norm_nc, kernel_size=3, padding=1)

    def forward(self, x, segmap, style_codes, noise=None):
        # the reference: randn(b, W, H, 1) * noise_var, transposed to [b, C, H, W]; noise here is [b, W, H, 1]
        added = (noise * self.noise_var).transpose(1, 3) if noise is not None else 0
        normalized = self.param_free_norm(x + added)
        segmap = F.interpolate(segmap, size=x.size()[2:], mode="nearest")
        gamma_spade, beta_spade = self.spade_params(segmap)
        if not self.use_rgb:
            return normalized * (1 + gamma_spade) + beta_spade
        b, _, h, w = normalized.shape
        middle = torch.zeros((b, self.style_length, h, w), dtype=x.dtype)
        for i in range(b):
            for j in range(segmap.shape[1]):
                area = torch.sum(segmap.bool()[i, j])
                if area > 0:
                    mu = F.relu(getattr(self, "fc_mu%d" % j)(style_codes[i][j]))
                    middle[i].masked_scatter_(segmap.bool()[i, j], mu.reshape(self.style_length, 1).expand(self.style_length, area))
        ga, ba = torch.sigmoid(self.blending_gamma), torch.sigmoid(self.blending_beta)
        gamma = ga * self.conv_gamma(middle) + (1 - ga) * gamma_spade
        beta = ba * self.conv_beta(middle) + (1 - ba) * beta_spade
        return normalized * (1 + gamma) + beta

    def spade_params(self, segmap):
        actv = self.Spade.mlp_shared(segmap)
        return self.Spade.mlp_gamma(actv), self.Spade.mlp_beta(actv)


class SEANResnetBlock(nn.Module):
    def __init__(self, fin, fout, semantic_nc, use_rgb=True, style_length=512):
        super().__init__()
        self.learned_shortcut = fin != fout
        fmiddle = min(fin, fout)
        self.conv_0 = spectral_norm(nn.Conv2d(fin, fmiddle, kernel_size=3, padding=1))
        self.conv_1 = spectral_norm(nn.Conv2d(fmiddle, fout, kernel_size=3, padding=1))
        if self.learned_shortcut:
            self.conv_s = spectral_norm(nn.Conv2d(fin, fout, kernel_size=1, bias=False))
        self.ace_0 = ACE(fin, semantic_nc, use_rgb, style_length)
        self.ace_1 = ACE(fmiddle, semantic_nc, use_rgb, style_length)
        if self.learned_shortcut:
            self.ace_s = ACE(fin, semantic_nc, use_rgb, style_length)

    def forward(self, x, seg, codes, noise):
        # the reference's order of ACE calls: the shortcut's first, then ace_0, ace_1
        x_s = self.conv_s(self.ace_s(x, seg, codes, noise.pop(0) if noise else None)) if self.learned_shortcut else x
        dx = self.conv_0(F.leaky_relu(self.ace_0(x, seg, codes, noise.pop(0) if noise else None), 2e-1))
        dx = self.conv_1(F.leaky_relu(self.ace_1(dx, seg, codes, noise.pop(0) if noise else None), 2e-1))
        return x_s + dx


class Zencoder(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=32, n_downsampling=2):
        super().__init__()
        model = [nn.ReflectionPad2d(1), nn.Conv2d(input_nc, ngf, kernel_size=3, padding=0), nn.InstanceNorm2d(ngf),
                 nn.LeakyReLU(0.2, False)]
        for i in range(n_downsampling):
            mult = 2 ** i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1), nn.InstanceNorm2d(ngf * mult * 2),
                      nn.LeakyReLU(0.2, False)]
        mult = 2 ** n_downsampling
        model += [nn.ConvTranspose2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1, output_padding=1),
                  nn.InstanceNorm2d(int(ngf * mult / 2)), nn.LeakyReLU(0.2, False)]
        model += [nn.ReflectionPad2d(1), nn.Conv2d(ngf * mult * 2, output_nc, kernel_size=3, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*model)

    def forward(self, input, segmap):
        codes = self.model(input)
        segmap = F.interpolate(segmap, size=codes.size()[2:], mode="nearest")
        b, f, s = codes.shape[0], codes.shape[1], segmap.shape[1]
        out = torch.zeros((b, s, f), dtype=codes.dtype)
        for i in range(b):
            for j in range(s):
                area = torch.sum(segmap.bool()[i, j])
                if area > 0:
                    out[i][j] = codes[i].masked_select(segmap.bool()[i, j]).reshape(f, area).mean(1)
        return out


class SEANGenerator(nn.Module):
    def __init__(self, semantic_nc, ngf, crop_size, aspect_ratio=1.0, num_upsampling_layers="normal", style_length=512,
                 zencoder_ngf=32):
        super().__init__()
        nf = ngf
        self.num_up = num_upsampling_layers
        n = {"normal": 5, "more": 6}[num_upsampling_layers]
        self.sw = crop_size // (2 ** n)
        self.sh = round(self.sw / aspect_ratio)
        self.Zencoder = Zencoder(3, style_length, ngf=zencoder_ngf)
        self.fc = nn.Conv2d(semantic_nc, 16 * nf, 3, padding=1)
        kw = dict(style_length=style_length)
        self.head_0 = SEANResnetBlock(16 * nf, 16 * nf, semantic_nc, **kw)
        self.G_middle_0 = SEANResnetBlock(16 * nf, 16 * nf, semantic_nc, **kw)
        self.G_middle_1 = SEANResnetBlock(16 * nf, 16 * nf, semantic_nc, **kw)
        self.up_0 = SEANResnetBlock(16 * nf, 8 * nf, semantic_nc, **kw)
        self.up_1 = SEANResnetBlock(8 * nf, 4 * nf, semantic_nc, **kw)
        self.up_2 = SEANResnetBlock(4 * nf, 2 * nf, semantic_nc, **kw)
        self.up_3 = SEANResnetBlock(2 * nf, 1 * nf, semantic_nc, use_rgb=False, **kw)
        self.conv_img = nn.Conv2d(nf, 3, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)

    def forward(self, seg, rgb_img=None, codes=None, noise=None):
        """The reference's forward(input, rgb_img): codes from the style image over the same label map; or given codes."""
        if codes is None:
            codes = self.Zencoder(rgb_img, seg)
        noise = list(noise) if noise is not None else None
        x = self.fc(F.interpolate(seg, size=(self.sh, self.sw)))
        x = self.head_0(x, seg, codes, noise)
        x = self.up(x)
        x = self.G_middle_0(x, seg, codes, noise)
        if self.num_up == "more":
            x = self.up(x)
        x = self.G_middle_1(x, seg, codes, noise)
        for block in (self.up_0, self.up_1, self.up_2, self.up_3):
            x = self.up(x)
            x = block(x, seg, codes, noise)
        return torch.tanh(self.conv_img(F.leaky_relu(x, 2e-1)))
