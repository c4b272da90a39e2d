// GenIJ: train pix2pix on pairs of images and install the model for Translate.
// Folder A holds the inputs, folder B the wanted outputs, paired by file name (cell7.tif with cell7.png).
// Cancel any time: running this again with the same model name continues the training.
#@ File (label="Folder A (inputs)", style="directory") folder_a
#@ File (label="Folder B (targets)", style="directory") folder_b
#@ String (label="Model name", value="my-pix2pix") name
#@ Integer (label="Epochs", value=200) epochs
run("Train pix2pix", "folder_a=[" + folder_a + "] folder_b=[" + folder_b + "] arch=unet_256 ngf=64 epochs=" + epochs +
	" cropsize=256 output=[" + name + "]");
