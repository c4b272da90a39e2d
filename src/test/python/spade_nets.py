"""NVlabs/SPADE's generator (models/networks/generator.py, architecture.py, normalization.py) re-written in
plain torch for the oracle: SPADEGenerator with SPADEResnetBlocks, spectral norm on the blocks'
convolutions, SPADE norms over a parameter-free batch norm (PyTorch's BatchNorm2d stands in for the
synchronized one: the same in eval), and the reference's input preparation (one-hot labels, instance
edges). Module names as the reference's, so the state dict keys are too."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm


class SPADE(nn.Module):
    """norm_name: the attribute (so the key) of the parameter-free norm: SPADE's param_free_norm, OASIS's first_norm."""

    def __init__(self, norm_nc, label_nc, ks=3, norm="batch", norm_name="param_free_norm"):
        super().__init__()
        self.norm_name = norm_name
        setattr(self, norm_name, nn.BatchNorm2d(norm_nc, affine=False) if norm == "batch"
                else nn.InstanceNorm2d(norm_nc, affine=False))
        pw = ks // 2
        self.mlp_shared = nn.Sequential(nn.Conv2d(label_nc, 128, kernel_size=ks, padding=pw), nn.ReLU())
        self.mlp_gamma = nn.Conv2d(128, norm_nc, kernel_size=ks, padding=pw)
        self.mlp_beta = nn.Conv2d(128, norm_nc, kernel_size=ks, padding=pw)

    def forward(self, x, segmap):
        normalized = getattr(self, self.norm_name)(x)
        segmap = F.interpolate(segmap, size=x.size()[2:], mode="nearest")
        actv = self.mlp_shared(segmap)
        return normalized * (1 + self.mlp_gamma(actv)) + self.mlp_beta(actv)


class SPADEResnetBlock(nn.Module):
    """Also OASIS's ResnetBlock_with_SPADE (norm_name="first_norm"): the same block, its norms named otherwise."""

    def __init__(self, fin, fout, semantic_nc, norm_name="param_free_norm"):
        super().__init__()
        self.learned_shortcut = fin != fout
        fmiddle = min(fin, fout)
        self.conv_0 = spectral_norm(nn.Conv2d(fin, fmiddle, kernel_size=3, padding=1))
        self.conv_1 = spectral_norm(nn.Conv2d(fmiddle, fout, kernel_size=3, padding=1))
        if self.learned_shortcut:
            self.conv_s = spectral_norm(nn.Conv2d(fin, fout, kernel_size=1, bias=False))
        self.norm_0 = SPADE(fin, semantic_nc, norm_name=norm_name)
        self.norm_1 = SPADE(fmiddle, semantic_nc, norm_name=norm_name)
        if self.learned_shortcut:
            self.norm_s = SPADE(fin, semantic_nc, norm_name=norm_name)

    def forward(self, x, seg):
        x_s = self.conv_s(self.norm_s(x, seg)) if self.learned_shortcut else x
        dx = self.conv_0(F.leaky_relu(self.norm_0(x, seg), 2e-1))
        dx = self.conv_1(F.leaky_relu(self.norm_1(dx, seg), 2e-1))
        return x_s + dx


class SPADEGenerator(nn.Module):
    def __init__(self, semantic_nc, ngf, crop_size, aspect_ratio=1.0, num_upsampling_layers="normal", use_vae=False,
                 z_dim=256):
        super().__init__()
        nf = ngf
        self.num_up = num_upsampling_layers
        n = {"normal": 5, "more": 6, "most": 7}[num_upsampling_layers]
        self.sw = crop_size // (2 ** n)
        self.sh = round(self.sw / aspect_ratio)
        self.use_vae, self.ngf = use_vae, ngf
        if use_vae:
            self.fc = nn.Linear(z_dim, 16 * nf * self.sw * self.sh)
        else:
            self.fc = nn.Conv2d(semantic_nc, 16 * nf, 3, padding=1)
        self.head_0 = SPADEResnetBlock(16 * nf, 16 * nf, semantic_nc)
        self.G_middle_0 = SPADEResnetBlock(16 * nf, 16 * nf, semantic_nc)
        self.G_middle_1 = SPADEResnetBlock(16 * nf, 16 * nf, semantic_nc)
        self.up_0 = SPADEResnetBlock(16 * nf, 8 * nf, semantic_nc)
        self.up_1 = SPADEResnetBlock(8 * nf, 4 * nf, semantic_nc)
        self.up_2 = SPADEResnetBlock(4 * nf, 2 * nf, semantic_nc)
        self.up_3 = SPADEResnetBlock(2 * nf, 1 * nf, semantic_nc)
        final_nc = nf
        if num_upsampling_layers == "most":
            self.up_4 = SPADEResnetBlock(1 * nf, nf // 2, semantic_nc)
            final_nc = nf // 2
        self.conv_img = nn.Conv2d(final_nc, 3, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)

    def forward(self, seg, z=None):
        if self.use_vae:
            x = self.fc(z).view(-1, 16 * self.ngf, self.sh, self.sw)
        else:
            x = self.fc(F.interpolate(seg, size=(self.sh, self.sw)))
        x = self.head_0(x, seg)
        x = self.up(x)
        x = self.G_middle_0(x, seg)
        if self.num_up in ("more", "most"):
            x = self.up(x)
        x = self.G_middle_1(x, seg)
        for block in (self.up_0, self.up_1, self.up_2, self.up_3):
            x = self.up(x)
            x = block(x, seg)
        if self.num_up == "most":
            x = self.up(x)
            x = self.up_4(x, seg)
        return torch.tanh(self.conv_img(F.leaky_relu(x, 2e-1)))


def get_edges(t):
    edge = torch.zeros(t.size(), dtype=torch.bool)
    edge[:, :, :, 1:] |= t[:, :, :, 1:] != t[:, :, :, :-1]
    edge[:, :, :, :-1] |= t[:, :, :, 1:] != t[:, :, :, :-1]
    edge[:, :, 1:, :] |= t[:, :, 1:, :] != t[:, :, :-1, :]
    edge[:, :, :-1, :] |= t[:, :, 1:, :] != t[:, :, :-1, :]
    return edge.float()


def input_semantics(label_map, label_nc, dontcare, instance_map=None):
    """The reference's preprocess_input: one-hot labels (+1 channel for dontcare), then the instance edges."""
    bs, _, h, w = label_map.size()
    nc = label_nc + 1 if dontcare else label_nc
    sem = torch.zeros(bs, nc, h, w).scatter_(1, label_map.long(), 1.0)
    if instance_map is not None:
        sem = torch.cat((sem, get_edges(instance_map)), dim=1)
    return sem


class ConvEncoder(nn.Module):
    """SPADE's style encoder for --use_vae models (models/networks/encoder.py): the image resized to 256x256
    (bilinear), six 3x3 stride-2 convolutions with spectral norm and parameter-free instance norm ('spectralinstance',
    ndf = ngf, widths ndf, 2, 4, 8, 8, 8 x ndf), lrelu 0.2 between them, then fc_mu and fc_var from the 4x4 map.
    The reference fixes the latent size at 256; z_dim makes the oracle's small case possible."""
    def __init__(self, ndf, z_dim=256):
        super().__init__()
        sn = torch.nn.utils.spectral_norm
        widths = [3, ndf, ndf * 2, ndf * 4, ndf * 8, ndf * 8, ndf * 8]
        for i in range(6):
            setattr(self, "layer%d" % (i + 1), nn.Sequential(sn(nn.Conv2d(widths[i], widths[i + 1], 3, stride=2, padding=1)),
                                                              nn.InstanceNorm2d(widths[i + 1], affine=False)))
        self.fc_mu = nn.Linear(ndf * 8 * 4 * 4, z_dim)
        self.fc_var = nn.Linear(ndf * 8 * 4 * 4, z_dim)

    def forward(self, x):
        if x.size(2) != 256 or x.size(3) != 256:
            x = F.interpolate(x, size=(256, 256), mode="bilinear", align_corners=False)
        x = self.layer1(x)
        for i in range(2, 7):
            x = getattr(self, "layer%d" % i)(F.leaky_relu(x, 0.2))
        x = F.leaky_relu(x, 0.2).view(x.size(0), -1)
        return self.fc_mu(x), self.fc_var(x)


class NLayerDiscriminator(nn.Module):
    """SPADE's PatchGAN with norm_D 'spectralinstance': groups model0..model<n> whose outputs are all returned
    (the last is the score, the others feed feature matching). Middle convolutions: spectral norm, no bias,
    parameter-free instance norm."""

    def __init__(self, input_nc, ndf, n_layers):
        super().__init__()
        pad = 2  # ceil((4 - 1) / 2)
        groups = [[nn.Conv2d(input_nc, ndf, 4, stride=2, padding=pad), nn.LeakyReLU(0.2, False)]]
        nf = ndf
        for n in range(1, n_layers):
            prev, nf = nf, min(nf * 2, 512)
            conv = spectral_norm(nn.Conv2d(prev, nf, 4, stride=1 if n == n_layers - 1 else 2, padding=pad))
            del conv.bias
            conv.register_parameter("bias", None)
            groups.append([nn.Sequential(conv, nn.InstanceNorm2d(nf, affine=False)), nn.LeakyReLU(0.2, False)])
        groups.append([nn.Conv2d(nf, 1, 4, stride=1, padding=pad)])
        for i, g in enumerate(groups):
            self.add_module("model%d" % i, nn.Sequential(*g))

    def forward(self, x):
        outputs = []
        for group in self.children():
            x = group(x)
            outputs.append(x)
        return outputs


class MultiscaleDiscriminator(nn.Module):
    """num_D PatchGANs, each on the input average-pooled once more (3x3, stride 2, padding 1, padding not counted)."""

    def __init__(self, input_nc, ndf, n_layers, num_d):
        super().__init__()
        for i in range(num_d):
            self.add_module("discriminator_%d" % i, NLayerDiscriminator(input_nc, ndf, n_layers))

    def forward(self, x):
        results = []
        for d in self.children():
            results.append(d(x))
            x = F.avg_pool2d(x, kernel_size=3, stride=2, padding=[1, 1], count_include_pad=False)
        return results
