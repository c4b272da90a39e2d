// GenIJ: import a PyTorch checkpoint into GenIJ's model store, recognising its architecture.
#@ File (label="Checkpoint (.pth or .safetensors)", style="file") checkpoint
#@ String (label="Model name") name
run("Import Checkpoint", "file=[" + checkpoint + "] name=[" + name + "] family=auto arch=auto");
