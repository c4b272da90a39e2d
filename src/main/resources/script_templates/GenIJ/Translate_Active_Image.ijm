// GenIJ: apply a pix2pix or CycleGAN generator (latest_net_G.pth or an imported model) to the active image.
#@ File (label="Generator (latest_net_G.pth)", style="file") model
run("Translate (pix2pix, CycleGAN)", "input=[" + getTitle() + "] model=[" + model + "] bnstats=running");
