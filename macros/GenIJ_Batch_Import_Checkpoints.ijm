// GenIJ batch: import every checkpoint in a folder (.pth in either PyTorch format, or .safetensors) into
// GenIJ's model store, each under its file's name, recognising the architecture from the keys.
// Skips models already installed; logs and goes on past files that are not checkpoints.
#@ File (label="Folder of checkpoints", style="directory") input
#@ String (label="Family", choices={"auto", "style", "translate", "seg2photo", "stylegan", "pixelcnn"}, value="auto") family
setBatchMode(true);
files = getFileList(input);
done = 0; skipped = 0; failed = 0;
for (i = 0; i < files.length; i++) {
	file = files[i];
	if (endsWith(file, "/") || startsWith(file, ".")) continue;
	name = call("io.github.genij.ij.MacroSupport.modelName", file);
	if (call("io.github.genij.ij.MacroSupport.modelInstalled", name) == "true") { skipped++; print("skipped (installed): " + file); continue; }
	run("Import Checkpoint", "file=[" + input + File.separator + file + "] name=[" + name + "] family=" + family + " arch=auto");
	if (call("io.github.genij.ij.MacroSupport.modelInstalled", name) == "true") { done++; print("imported: " + file + " as " + name); }
	else { failed++; print("failed: " + file + " (see the log above)"); }
}
print("GenIJ batch finished: " + done + " done, " + skipped + " skipped, " + failed + " failed.");
