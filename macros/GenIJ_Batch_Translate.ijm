// GenIJ batch: a pix2pix or CycleGAN generator (latest_net_G.pth or an imported model) on every image in a folder.
// Writes <name>-translated.tif into the output folder; skips images already done; logs and goes on past a
// file it cannot read or a translation that fails; never writes into the input folder.
#@ File (label="Input folder", style="directory") input
#@ String (label="Model (file or model name)", value="latest_net_G.pth") model
#@ File (label="Output folder", style="directory") output
#@ String (label="More keys (e.g. bnstats=image outputtype=float32)", value="") more
setBatchMode(true);
if (call("io.github.genij.ij.MacroSupport.sameFile", output, input) == "true")
	exit("The output folder must not be the input folder: GenIJ never writes over your images.");
files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (endsWith(name, "/") || startsWith(name, ".")) continue;
	path = input + File.separator + name;
	target = output + File.separator + File.getNameWithoutExtension(name) + "-translated.tif";
	if (File.exists(target)) { skipped++; print("skipped (already done): " + name); continue; }
	err = call("io.github.genij.ij.MacroSupport.open", path);
	if (err != "") { failed++; print("failed: " + name + ": " + err); continue; }
	title = getTitle();
	before = nImages;
	run("Translate (pix2pix, CycleGAN)", "input=[" + title + "] model=[" + model + "] " + more);
	if (nImages == before) {
		failed++; print("failed: " + name + " (see the log above)");
	} else {
		err = call("io.github.genij.ij.MacroSupport.save", target);
		close();
		if (err != "") { failed++; print("failed: " + name + ": " + err); }
		else { done++; print("done: " + name); }
	}
	selectImage(title); close();
}
print("GenIJ batch finished: " + done + " done, " + skipped + " skipped, " + failed + " failed.");
