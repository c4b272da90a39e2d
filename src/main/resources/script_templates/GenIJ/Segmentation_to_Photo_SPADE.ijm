// GenIJ: a photo-like image from the active label image (8- or 16-bit, each value a class) with an NVlabs/SPADE
// generator. Regions drawn as ROIs and added to the overlay (named by class) work too: labelsfrom=overlay.
#@ File (label="Generator (latest_net_G.pth)", style="file") model
#@ String (label="Label map (value=class, ...)", value="") labelmap
#@ String (label="Instance channel", choices={"auto", "yes", "no"}) instancechannel
run("Segmentation to Photo (SPADE)", "labels=[" + getTitle() + "] model=[" + model + "] labelmap=[" + labelmap +
	"] instancechannel=" + instancechannel);
