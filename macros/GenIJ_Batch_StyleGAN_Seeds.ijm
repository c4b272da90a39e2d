// GenIJ batch: one PNG per seed from a StyleGAN2 generator, named seed0042.png as NVIDIA's generate.py names them.
// Skips seeds whose file exists already (so several machines can share the work), logs and goes on past a
// failure, never replaces a file.
#@ String (label="Model (network-snapshot .pkl, .pt or an installed model name)") model
#@ String (label="Seeds (numbers and ranges, e.g. 0-99,123)", value="0-15") seeds
#@ File (label="Output folder", style="directory") output
#@ String (label="More keys (e.g. truncation=0.7 noise=random)", value="") more
setBatchMode(true);
list = call("io.github.genij.stylegan.Seeds.forMacro", seeds);
if (startsWith(list, "error: "))
	exit(substring(list, 7));
list = split(list, ",");
done = 0; skipped = 0; failed = 0;
for (i = 0; i < list.length; i++) {
	seed = list[i];
	target = output + File.separator + "seed" + IJ.pad(seed, 4) + ".png";
	if (File.exists(target)) { skipped++; continue; }
	before = nImages;
	run("StyleGAN Sample", "model=[" + model + "] seeds=" + seed + " " + more);
	if (nImages == before) { failed++; print("failed: seed " + seed + " (see the log above)"); continue; }
	err = call("io.github.genij.ij.MacroSupport.save", target);
	close();
	if (err != "") { failed++; print("failed: seed " + seed + ": " + err); }
	else done++;
}
print("GenIJ StyleGAN seeds finished: " + done + " written, " + skipped + " skipped (already there), " + failed + " failed.");
