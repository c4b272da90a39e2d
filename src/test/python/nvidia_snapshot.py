"""Writes StyleGAN2 generators as NVIDIA's StyleGAN2-ADA network snapshots are written (network-snapshot-*.pkl):
a plain pickle of {training_set_kwargs, G, D, G_ema, augment_pipe}, each module reduced to
torch_utils.persistence._reconstruct_persistent_obj(meta) with its class name, source text and __dict__,
init kwargs in dnnlib.util.EasyDict. The two NVIDIA modules are stand-ins written here (same names, no
behaviour), so the file has the reference's pickle structure without any NVIDIA code."""
import os
import pickle
import sys
import textwrap

_STUBS = {
    "torch_utils/__init__.py": "",
    "torch_utils/persistence.py": """
        def _reconstruct_persistent_obj(meta):
            raise RuntimeError('a stand-in for writing fixtures; never used to read one')
        """,
    "dnnlib/__init__.py": "",
    "dnnlib/tflib/__init__.py": "",
    "dnnlib/tflib/network.py": """
        class Network:
            # a stand-in with the name and pickled state of NVIDIA's TensorFlow network class
            def __init__(self, state):
                self._state = state
            def __getstate__(self):
                return self._state
            def __setstate__(self, state):
                self._state = state
        """,
    "dnnlib/util.py": """
        class EasyDict(dict):
            '''A dict with attribute access, as dnnlib's.'''
            def __getattr__(self, name):
                return self[name]
        """,
}


def _install_stubs(folder):
    for rel, text in _STUBS.items():
        path = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
    if folder not in sys.path:
        sys.path.insert(0, folder)


def _persistent(module, module_name="training.networks"):
    """Makes module (and its children) pickle as NVIDIA's persistent objects."""
    from torch_utils import persistence
    for m in module.modules():
        cls = type(m)
        if getattr(cls, "_genij_persistent", False):
            continue

        def reduce(self, _name=cls.__name__):
            meta = dict(type="class", version=6, module_src="# the module's source, inert text\nclass %s: pass\n" % _name,
                        class_name=module_name + "." + _name, state=dict(self.__dict__))
            return (persistence._reconstruct_persistent_obj, (meta,))

        m.__class__ = type(cls.__name__, (cls,), {"__reduce__": reduce, "_genij_persistent": True})
    return module


def write(path, stub_folder, g_ema, g, d, init_kwargs, extra=None):
    _install_stubs(stub_folder)
    from dnnlib.util import EasyDict

    def easy(v):
        return EasyDict({k: easy(x) for k, x in v.items()}) if isinstance(v, dict) else v

    for net in (g_ema, g):
        net._init_args = ()
        net._init_kwargs = easy(init_kwargs)
    data = dict(training_set_kwargs=EasyDict(path="datasets/fixture.zip", resolution=init_kwargs.get("img_resolution")),
                G=_persistent(g), D=_persistent(d), G_ema=_persistent(g_ema), augment_pipe=None)
    if extra:
        data.update(extra)
    with open(path, "wb") as f:
        pickle.dump(data, f, protocol=4)


def _tf_variables(g):
    """The TensorFlow variables of NVIDIA's config-f generator that legacy.py maps to g's state dict (inverted)."""
    import numpy as np
    sd = {k: v.detach().numpy() for k, v in g.state_dict().items()}
    mapping, synthesis = [], []

    def kernel(w, flip):  # OIHW -> HWIO, and flipped in space for the up-sampling convolutions
        k = w.transpose(2, 3, 1, 0)
        return np.ascontiguousarray(k[::-1, ::-1] if flip else k)

    for k in range(len([n for n in sd if n.startswith("mapping.fc") and n.endswith(".weight")])):
        mapping.append(("Dense%d/weight" % k, np.ascontiguousarray(sd["mapping.fc%d.weight" % k].T)))
        mapping.append(("Dense%d/bias" % k, sd["mapping.fc%d.bias" % k]))
    res = [int(n.split(".")[1][1:]) for n in sd if n.endswith(".conv1.weight")]
    for r in sorted(set(res)):
        nb, tf, log = "synthesis.b%d." % r, "%dx%d/" % (r, r), int(np.log2(r))
        layers = [("Conv", "conv1", 0, False)] if r == 4 else [("Conv0_up", "conv0", 2 * log - 5, True),
                                                               ("Conv1", "conv1", 2 * log - 4, False)]
        if r == 4:
            synthesis.append((tf + "Const/const", sd[nb + "const"][None]))
        for name, ours, noise, flip in layers:
            synthesis.append((tf + name + "/weight", kernel(sd[nb + ours + ".weight"], flip)))
            synthesis.append((tf + name + "/bias", sd[nb + ours + ".bias"]))
            synthesis.append((tf + name + "/noise_strength", sd[nb + ours + ".noise_strength"]))
            synthesis.append((tf + name + "/mod_weight", np.ascontiguousarray(sd[nb + ours + ".affine.weight"].T)))
            synthesis.append((tf + name + "/mod_bias", sd[nb + ours + ".affine.bias"] - 1))
            synthesis.append(("noise%d" % noise, sd[nb + ours + ".noise_const"][None, None]))
        if nb + "torgb.weight" in sd:
            synthesis.append((tf + "ToRGB/weight", kernel(sd[nb + "torgb.weight"], False)))
            synthesis.append((tf + "ToRGB/bias", sd[nb + "torgb.bias"]))
            synthesis.append((tf + "ToRGB/mod_weight", np.ascontiguousarray(sd[nb + "torgb.affine.weight"].T)))
            synthesis.append((tf + "ToRGB/mod_bias", sd[nb + "torgb.affine.bias"] - 1))
    return mapping, synthesis, sd["mapping.w_avg"]


def write_tf(path, stub_folder, g, static_kwargs):
    """A TensorFlow-era pickle: the tuple (G, D, Gs) of dnnlib.tflib.network.Network objects, variables as numpy arrays."""
    import numpy as np
    _install_stubs(stub_folder)
    from dnnlib.tflib.network import Network

    def net(name, variables, components, kwargs):
        return Network(dict(version=4, name=name, static_kwargs=kwargs, components=components,
                            build_module_src="# TensorFlow code, inert text", build_func_name="G_main",
                            variables=variables))

    mapping, synthesis, w_avg = _tf_variables(g)
    gs = net("G", [("dlatent_avg", w_avg)], {"mapping": net("G_mapping", mapping, {}, {}),
                                            "synthesis": net("G_synthesis", synthesis, {}, {})}, static_kwargs)
    trainee = net("G", [("dlatent_avg", np.zeros_like(w_avg))], {}, static_kwargs)
    d = net("D", [("Output/weight", np.zeros((4, 1), np.float32))], {}, {})
    with open(path, "wb") as f:
        pickle.dump((trainee, d, gs), f, protocol=4)
