// GenIJ: where the active image surprises a PixelCNN++ (pclucas14's .pth, or an installed model name such as one
// Train PixelCNN made): a 32-bit map of each pixel's negative log-likelihood in bits, and the image's bits/dim in the
// Results table. The image must be 8-bit grey or RGB, as the model.
#@ String (label="Model (file or installed name)", value="fashion-mnist-pixelcnn") model
title = getTitle();
rows = nResults;
run("PixelCNN Likelihood", "image=[" + title + "] model=[" + model + "]");
for (r = rows; r < nResults; r++)
	print(title + ", slice " + getResult("slice", r) + ": " + d2s(getResult("bitsperdim", r), 4) + " bits/dim");
