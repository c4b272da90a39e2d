// GenIJ batch: a MUNIT or UNIT generator checkpoint (gen_*.pt) on every image in a folder.
// Writes <name>-munit.tif into the output folder (a stack when variations > 1); skips images already done; logs
// and goes on past a file it cannot read or a translation that fails; never writes into the input folder.
#@ File (label="Input folder", style="directory") input
#@ String (label="Model (gen_*.pt)", value="gen_00800000.pt") model
#@ String (label="Direction", choices={"atob", "btoa"}) direction
#@ File (label="Output folder", style="directory") output
#@ String (label="More keys (e.g. variations=4 seed=7 outputsize=input)", value="") more
setBatchMode(true);
if (call("io.github.genij.ij.MacroSupport.sameFile", output, input) == "true")
	exit("The output folder must not be the input folder: GenIJ never writes over your images.");
files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (endsWith(name, "/") || startsWith(name, ".")) continue;
	path = input + File.separator + name;
	target = output + File.separator + File.getNameWithoutExtension(name) + "-munit.tif";
	if (File.exists(target)) { skipped++; print("skipped (already done): " + name); continue; }
	err = call("io.github.genij.ij.MacroSupport.open", path);
	if (err != "") { failed++; print("failed: " + name + ": " + err); continue; }
	title = getTitle();
	before = nImages;
	run("Translate (MUNIT, UNIT)", "input=[" + title + "] model=[" + model + "] direction=" + direction + " " + more);
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
