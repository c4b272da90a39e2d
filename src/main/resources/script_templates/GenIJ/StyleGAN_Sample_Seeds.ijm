// GenIJ: images from a StyleGAN2 generator, one per seed (NVIDIA's network-snapshot .pkl, a TensorFlow-era .pkl,
// rosinality's .pt, or an installed model name). The same seed gives the image NVIDIA's generate.py gives.
#@ File (label="Generator", style="file") model
#@ String (label="Seeds (numbers and ranges)", value="0-7") seeds
#@ Double (label="Truncation (psi)", value=0.7) truncation
run("StyleGAN Sample", "model=[" + model + "] seeds=" + seeds + " truncation=" + truncation + " noise=const");
