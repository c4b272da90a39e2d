// GenIJ batch: AdaIN style transfer for every image in a folder, with one style image.
// Needs AdaIN's trained encoder and decoder (vgg_normalised.pth and decoder.pth, or imported model names).
// Writes <name>-adain.tif into the output folder; skips images already done; logs and goes on past a
// file it cannot read or a transfer that fails; never writes into the input folder.
#@ File (label="Input folder", style="directory") input
#@ File (label="Style image", style="file") style
#@ File (label="Output folder", style="directory") output
#@ String (label="Encoder (file or model name)", value="vgg_normalised.pth") encoder
#@ String (label="Decoder (file or model name)", value="decoder.pth") decoder
#@ String (label="More keys (e.g. alpha=0.8 preservecolor)", value="") more
setBatchMode(true);
if (call("io.github.genij.ij.MacroSupport.sameFile", output, input) == "true")
	exit("The output folder must not be the input folder: GenIJ never writes over your images.");
err = call("io.github.genij.ij.MacroSupport.open", style);
if (err != "") exit("Cannot open the style image " + style + ": " + err);
styleTitle = getTitle();
files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (endsWith(name, "/") || startsWith(name, ".")) continue;
	path = input + File.separator + name;
	target = output + File.separator + File.getNameWithoutExtension(name) + "-adain.tif";
	if (File.exists(target)) { skipped++; print("skipped (already done): " + name); continue; }
	err = call("io.github.genij.ij.MacroSupport.open", path);
	if (err != "") { failed++; print("failed: " + name + ": " + err); continue; }
	contentTitle = getTitle();
	before = nImages;
	run("Style Transfer (AdaIN)", "content=[" + contentTitle + "] style=[" + styleTitle + "] encoder=[" + encoder + "] decoder=[" + decoder + "] " + more);
	if (nImages == before) {
		failed++; print("failed: " + name + " (see the log above)");
	} else {
		err = call("io.github.genij.ij.MacroSupport.save", target);
		close();
		if (err != "") { failed++; print("failed: " + name + ": " + err); }
		else { done++; print("done: " + name); }
	}
	selectImage(contentTitle); close();
}
print("GenIJ batch finished: " + done + " done, " + skipped + " skipped, " + failed + " failed.");
