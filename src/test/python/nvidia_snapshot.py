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
