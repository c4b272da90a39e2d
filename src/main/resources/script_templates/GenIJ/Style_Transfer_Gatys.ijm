// GenIJ: Gatys style transfer of the active image, in the style of another open image.
// The built-in feature network needs no download; see Plugins > GenIJ > Style for the other methods.
#@ ImagePlus (label="Style image") style
content = getTitle();
run("Style Transfer (Gatys)", "content=[" + content + "] style=[" + getTitle(style) + "] iterations=200 preservecolor");
