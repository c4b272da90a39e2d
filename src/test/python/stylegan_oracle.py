"""Reference outputs for GenIJ's StyleGAN2 (stylegan_nets.py: NVIDIA's StyleGAN2-ADA generator re-written) on
random weights, with z drawn as NVIDIA's generate.py draws them. Writes <case>.pth (G_ema's state_dict),
<case>.safetensors (z, c and images per setting) and cases.json (the generator's init kwargs, the settings).
Also seeds.safetensors: numpy.random.RandomState(seed).randn(1, 512) for seeds 0..999.
Usage: stylegan_oracle.py OUTPUT_FOLDER"""
import os
import sys

import numpy as np
import torch

from oracle_io import save_index, save_safetensors
import nvidia_snapshot
from stylegan_nets import Generator, randomise
from stylegan_projector import pixel_distance, project

torch.set_num_threads(1)
out_dir = sys.argv[1]
os.makedirs(out_dir, exist_ok=True)
cases = []


def z_of(seed, z_dim):
    return torch.from_numpy(np.random.RandomState(seed).randn(1, z_dim))


def init_kwargs(kwargs):
    """Generator(**kwargs) as NVIDIA's train.py spells the arguments: mapping and synthesis in their own dicts."""
    top = {k: kwargs[k] for k in ("z_dim", "c_dim", "w_dim", "img_resolution", "img_channels")}
    top["mapping_kwargs"] = {"num_layers": kwargs.get("mapping_layers", 8)}
    top["synthesis_kwargs"] = {k: v for k, v in kwargs.items() if k in ("channel_base", "channel_max", "architecture",
                                                                       "conv_clamp")}
    top["synthesis_kwargs"]["num_fp16_res"] = 4
    return top


def case(name, kwargs, seeds, settings, c=None, mix=None, snapshot=False):
    torch.manual_seed(len(cases) + 70)
    g = Generator(**kwargs).eval()
    randomise(g, len(cases) + 80)
    torch.save(g.state_dict(), os.path.join(out_dir, name + ".pth"))
    if snapshot:
        # G (the training copy) differs from G_ema: a reader that takes G gives other images
        g_train = Generator(**kwargs)
        d = torch.nn.Sequential(torch.nn.Conv2d(kwargs["img_channels"], 4, 3), torch.nn.Flatten())
        nvidia_snapshot.write(os.path.join(out_dir, name + ".pkl"), os.path.join(out_dir, "stubs"), g, g_train, d,
                              init_kwargs(kwargs))
        if kwargs["c_dim"] == 0:
            # the same generator as NVIDIA's TensorFlow StyleGAN2 pickled it (config-f structure, legacy.py's names)
            nvidia_snapshot.write_tf(os.path.join(out_dir, name + "_tf.pkl"), os.path.join(out_dir, "stubs"), g,
                                     dict(latent_size=kwargs["z_dim"], dlatent_size=kwargs["w_dim"],
                                          resolution=kwargs["img_resolution"], num_channels=kwargs["img_channels"],
                                          mapping_layers=kwargs.get("mapping_layers", 8), mapping_lrmul=0.01,
                                          fmap_base=kwargs.get("channel_base", 32768) // 2,
                                          fmap_max=kwargs.get("channel_max", 512)))
    tensors = {}
    cond = torch.zeros([1, kwargs["c_dim"]]) if kwargs["c_dim"] else None
    if cond is not None and c is not None:
        cond[0, c] = 1
    with torch.no_grad():
        for seed in seeds:
            z = z_of(seed, kwargs["z_dim"])
            tensors["z%d" % seed] = z
            for s in settings:
                img = g(z, cond, s["psi"], s.get("cutoff"), s["noise"])
                tensors["img%d_%s" % (seed, s["name"])] = img
                # what generate.py saves
                tensors["u8_%d_%s" % (seed, s["name"])] = (img.permute(0, 2, 3, 1) * 127.5 + 128).clamp(0, 255).to(torch.uint8)
        if mix is not None:
            # style_mixing.py: ws of the row seed, with the column seed's ws at the given indices
            rows = g.mapping(z_of(mix["row"], kwargs["z_dim"]), cond, mix["psi"])
            cols = g.mapping(z_of(mix["col"], kwargs["z_dim"]), cond, mix["psi"])
            ws = rows.clone()
            ws[:, mix["styles"]] = cols[:, mix["styles"]]
            tensors["mix"] = g.synthesis(ws, "const")
            tensors["mix_ws"] = ws
            # latents files: ws as NVIDIA's projector saves them, and z rows
            np.savez(os.path.join(out_dir, name + "_ws.npz"), w=g.mapping(z_of(0, kwargs["z_dim"]), cond, 0.7).numpy())
            np.save(os.path.join(out_dir, name + "_z.npy"), np.concatenate([z_of(s, kwargs["z_dim"]).numpy() for s in seeds]))
    save_safetensors(os.path.join(out_dir, name + ".safetensors"), tensors)
    cases.append({"name": name, "kind": "stylegan2", "settings": {"kwargs": kwargs, "seeds": seeds,
                  "settings": settings, "class": c, "mix": mix, "num_ws": g.num_ws,
                  "parameter_count": sum(p.numel() for p in g.parameters()),
                  "buffer_count": sum(b.numel() for b in g.buffers())}})


ALL = [{"name": "psi1_const", "psi": 1, "noise": "const"},
       {"name": "psi07_const", "psi": 0.7, "noise": "const"},
       {"name": "psi07_cut2_const", "psi": 0.7, "cutoff": 2, "noise": "const"},
       {"name": "psi1_none", "psi": 1, "noise": "none"},
       {"name": "psi03_none", "psi": 0.3, "noise": "none"}]

case("skip32", dict(z_dim=32, c_dim=0, w_dim=32, img_resolution=32, img_channels=3, mapping_layers=2,
                    channel_base=512, channel_max=32), [0, 1], ALL,
     mix={"row": 0, "col": 1, "styles": [0, 1, 2, 3], "psi": 1}, snapshot=True)
case("resnet_cond_clamp16", dict(z_dim=16, c_dim=3, w_dim=24, img_resolution=16, img_channels=3, mapping_layers=3,
                                 channel_base=256, channel_max=24, architecture="resnet", conv_clamp=0.25),
     [5], ALL[:2], c=2, snapshot=True)
case("orig_gray16", dict(z_dim=8, c_dim=0, w_dim=8, img_resolution=16, img_channels=1, mapping_layers=1,
                         channel_base=128, channel_max=16, architecture="orig"), [3], ALL[:1])

# numpy's legacy Gaussian for the seeds people use: 0..999
save_safetensors(os.path.join(out_dir, "seeds.safetensors"),
                 {"z": torch.from_numpy(np.concatenate([np.random.RandomState(s).randn(1, 512) for s in range(1000)]))})



class _Payload:
    """What a hostile file asks for: a shell command at unpickling time."""

    def __reduce__(self):
        return (os.system, ("touch " + os.path.join(os.path.abspath(out_dir), "pwned"),))


def hostile():
    kw = dict(z_dim=8, c_dim=0, w_dim=8, img_resolution=8, img_channels=1, mapping_layers=1, channel_base=64,
              channel_max=8)
    g = Generator(**kw)
    stubs = os.path.join(out_dir, "stubs")
    nvidia_snapshot.write(os.path.join(out_dir, "hostile_call.pkl"), stubs, g, Generator(**kw), torch.nn.Identity(),
                          init_kwargs(kw), extra={"payload": _Payload()})
    g2 = Generator(**kw)
    g2.mapping.extra = torch.nn.Linear(2, 2)
    nvidia_snapshot._persistent(g2.mapping.extra, module_name="evil.payload")
    nvidia_snapshot.write(os.path.join(out_dir, "foreign_class.pkl"), stubs, g2, Generator(**kw), torch.nn.Identity(),
                          init_kwargs(kw))


hostile()



def rosinality_case():
    """A training checkpoint as rosinality's train.py saves it, plus latent_avg as convert_weight.py adds it."""
    import argparse
    import rosinality_nets
    torch.manual_seed(90)
    chans = {4: 32, 8: 32, 16: 16, 32: 8}
    g = rosinality_nets.Generator(32, 24, 3, channels=chans).eval()
    gen = torch.Generator().manual_seed(91)
    with torch.no_grad():
        for name, p in g.named_parameters():
            if name.endswith("noise.weight"):
                p.copy_(torch.rand(1, generator=gen) * 0.5 + 0.05)
            elif name.endswith("bias"):
                p.add_(torch.randn(p.shape, generator=gen) * 0.1)
        latent_avg = g.style(torch.randn(64, 24, generator=gen)).mean(0)
    g_train = rosinality_nets.Generator(32, 24, 3, channels=chans)
    torch.save({"g": g_train.state_dict(), "d": {"convs.0.0.weight": torch.randn(4, 3, 1, 1)}, "g_ema": g.state_dict(),
                "g_optim": {"state": {}, "param_groups": []}, "args": argparse.Namespace(size=32, latent=24, n_mlp=3),
                "latent_avg": latent_avg}, os.path.join(out_dir, "rosinality32.pt"))
    tensors = {}
    with torch.no_grad():
        for seed in (0, 7):
            z = z_of(seed, 24).to(torch.float32)
            tensors["img%d_psi1" % seed] = g(z)
            tensors["img%d_psi07" % seed] = g(z, 0.7, latent_avg)
        # a bare g_ema state dict has no latent_avg: the average w as NVIDIA's projector estimates it
        estimate = g.style(torch.from_numpy(np.random.RandomState(123).randn(10000, 24)).to(torch.float32)).mean(0)
        tensors["w_avg_estimate"] = estimate
        tensors["img0_psi07_estimate"] = g(z_of(0, 24).to(torch.float32), 0.7, estimate)
    torch.save(g.state_dict(), os.path.join(out_dir, "rosinality32_bare.pt"))
    save_safetensors(os.path.join(out_dir, "rosinality32.safetensors"), tensors)


rosinality_case()



def projection_case(steps=6, seed=5, noise_weight=1e5):
    """NVIDIA's projector with GenIJ's two documented differences when no features file is given: the distance is the
    mean squared difference of the images in -1..1, and the draws come from RandomState(seed) (stylegan_projector.py)."""
    kw = dict(z_dim=32, c_dim=0, w_dim=32, img_resolution=32, img_channels=3, mapping_layers=2, channel_base=512,
              channel_max=32)
    torch.manual_seed(70)  # the skip32 case's generator
    g = Generator(**kw).eval()
    randomise(g, 80)
    g.requires_grad_(False)
    with torch.no_grad():
        target = g(z_of(7, 32), None, 1, None, "const")
    w, dists = project(g, target, steps, seed, noise_weight, pixel_distance)
    save_safetensors(os.path.join(out_dir, "projection.safetensors"), {"target": target, "w": w, "dist": torch.tensor(dists)})


projection_case()
save_index(os.path.join(out_dir, "cases.json"), cases)
