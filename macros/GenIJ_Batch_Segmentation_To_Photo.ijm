// GenIJ batch: every label image in a folder through a segmentation-to-photo model (SPADE, SEAN or OASIS).
// Writes <name>-photo.tif into the output folder (a stack for a stack of label images); skips images already done;
// logs and goes on past a file it cannot read or a label image the model refuses; never writes into the input folder.
#@ File (label="Label images folder", style="directory") input
#@ String (label="Model (latest_net_G.pth, *_EMA.pth or an installed name)", value="") model
#@ String (label="Network", choices={"SPADE", "SEAN", "OASIS"}) network
#@ File (label="Output folder", style="directory") output
#@ String (label="More keys (e.g. labelmap=255=sky seed=3 outputtype=float32)", value="") more
setBatchMode(true);
if (call("io.github.genij.ij.MacroSupport.sameFile", output, input) == "true")
	exit("The output folder must not be the input folder: GenIJ never writes over your images.");
files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (endsWith(name, "/") || startsWith(name, ".")) continue;
	path = input + File.separator + name;
	target = output + File.separator + File.getNameWithoutExtension(name) + "-photo.tif";
	if (File.exists(target)) { skipped++; print("skipped (already done): " + name); continue; }
	err = call("io.github.genij.ij.MacroSupport.open", path);
	if (err != "") { failed++; print("failed: " + name + ": " + err); continue; }
	title = getTitle();
	before = nImages;
	run("Segmentation to Photo (" + network + ")", "labels=[" + title + "] model=[" + model + "] " + more);
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
