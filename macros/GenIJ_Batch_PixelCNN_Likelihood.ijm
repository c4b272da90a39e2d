// GenIJ batch: PixelCNN likelihood of every image in a folder. Writes <name>-nll.tif (each pixel's negative
// log-likelihood in bits) into the output folder and one table, pixelcnn-likelihood.csv (or -1, -2, ... when that
// name is taken), with each image's bits per dimension. Images whose map exists already are not run again: their
// figure is read back from the map (its mean over the channels). Logs and goes on past a failure; never writes into
// the input folder and never replaces a file.
#@ File (label="Input folder", style="directory") input
#@ String (label="Model (pclucas14 .pth or installed model name)") model
#@ File (label="Output folder", style="directory") output
setBatchMode(true);
if (call("io.github.genij.ij.MacroSupport.sameFile", output, input) == "true")
	exit("The output folder must not be the input folder: GenIJ never writes over your images.");
files = getFileList(input);
table = "image,slices,bitsperdim\n";
done = 0; reused = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (endsWith(name, "/") || startsWith(name, ".") || endsWith(name, ".csv")) continue;
	path = input + File.separator + name;
	target = output + File.separator + File.getNameWithoutExtension(name) + "-nll.tif";
	err = call("io.github.genij.ij.MacroSupport.open", path);
	if (err != "") { failed++; print("failed: " + name + ": " + err); continue; }
	title = getTitle();
	channels = 1;
	if (bitDepth() == 24) channels = 3;
	if (File.exists(target)) {
		err = call("io.github.genij.ij.MacroSupport.open", target);
		if (err != "") { failed++; print("failed: " + name + ": its map " + target + ": " + err); selectImage(title); close(); continue; }
		slices = nSlices;
		total = 0;
		for (s = 1; s <= slices; s++) { setSlice(s); getStatistics(area, mean); total += mean; }
		close();
		table = table + name + "," + slices + "," + d2s(total / slices / channels, 6) + "\n";
		reused++; print("map there already, figure read from it: " + name);
		selectImage(title); close();
		continue;
	}
	before = nImages;
	rows = nResults;
	run("PixelCNN Likelihood", "image=[" + title + "] model=[" + model + "]");
	if (nImages == before) {
		failed++; print("failed: " + name + " (see the log above)");
	} else {
		slices = nSlices;
		total = 0;
		for (r = rows; r < nResults; r++) total += getResult("bitsperdim", r);
		err = call("io.github.genij.ij.MacroSupport.save", target);
		close();
		if (err != "") { failed++; print("failed: " + name + ": " + err); }
		else {
			done++;
			table = table + name + "," + slices + "," + d2s(total / slices, 6) + "\n";
			print("done: " + name + ": " + d2s(total / slices, 4) + " bits/dim");
		}
	}
	selectImage(title); close();
}
csv = output + File.separator + "pixelcnn-likelihood.csv";
for (k = 1; File.exists(csv); k++) csv = output + File.separator + "pixelcnn-likelihood-" + k + ".csv";
err = call("io.github.genij.ij.MacroSupport.saveText", csv, table);
if (err != "") print("the table was not written: " + err);
print("GenIJ PixelCNN likelihood finished: " + done + " done, " + reused + " read from existing maps, " + failed + " failed; table " + csv);
