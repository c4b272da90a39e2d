package io.github.genij.style;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import io.github.genij.ij.demo.DemoData;
import io.github.genij.testing.Commands;

/**
 * Gatys with every key at its default (built-in random features) visibly transfers style: measured without any
 * network ({@link PatchStatistics}: mean and covariance of 7x7 RGB patches at two scales), the result is at least
 * halfway from the content to the style, while the content stays recognisable (its luminance correlates with the
 * content's). The README's pair (scikit-image's cat in the style of its immunohistochemistry image) and a second one
 * (its astronaut in the style of its gravel texture). At 128 px wide, to keep the test short.
 */
class GatysDefaultTransfersStyleTest {

	private static Path skimage() {
		Path data = DemoData.skimage(Paths.get("target", "demo-data"), System.out);
		if (data == null) {
			if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("scikit-image's sample images could not be fetched - but CI must run this");
			Assumptions.assumeTrue(false, "scikit-image's sample images (Debian python3-skimage) could not be fetched");
		}
		return data;
	}

	private static ImagePlus open(Path data, String name, int width, int[] crop) {
		ImagePlus imp = IJ.openImage(data.resolve(name).toString());
		if (crop != null) {
			imp.setRoi(crop[0], crop[1], crop[2], crop[3]);
			imp = imp.crop();
		}
		return imp.resize(width, imp.getHeight() * width / imp.getWidth(), "bilinear");
	}

	private static PatchStatistics stats(ImagePlus imp) {
		ColorProcessor cp = imp.getProcessor().convertToColorProcessor();
		return PatchStatistics.ofRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
	}

	/** Pearson's correlation of the two images' luminance. */
	private static double luminanceCorrelation(ImagePlus a, ImagePlus b) {
		float[] x = (float[]) a.getProcessor().convertToFloatProcessor().getPixels(), y = (float[]) b.getProcessor().convertToFloatProcessor().getPixels();
		double mx = 0, my = 0;
		for (int i = 0; i < x.length; i++) {
			mx += x[i];
			my += y[i];
		}
		mx /= x.length;
		my /= y.length;
		double sxy = 0, sxx = 0, syy = 0;
		for (int i = 0; i < x.length; i++) {
			sxy += (x[i] - mx) * (y[i] - my);
			sxx += (x[i] - mx) * (x[i] - mx);
			syy += (y[i] - my) * (y[i] - my);
		}
		return sxy / Math.sqrt(sxx * syy);
	}

	private static void check(ImagePlus content, ImagePlus style, String pair) throws Exception {
		var r = Commands.run(StyleTransferGatysCommand.class, "content", content, "style", style);
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		ImagePlus result = (ImagePlus) r.getOutput("result");
		double left = PatchStatistics.remaining(stats(result), stats(content), stats(style));
		double kept = luminanceCorrelation(result, content);
		System.out.printf("%s: %.3f of the content's distance from the style left; luminance correlation with the content %.3f%n", pair, left, kept);
		assertTrue(left <= 0.5, pair + ": " + left + " of the distance left; at least half should be gone");
		assertTrue(kept >= 0.5, pair + ": the content is lost (luminance correlation " + kept + ")");
	}

	@Test
	void theReadmePairMovesAtLeastHalfwayToTheStyle() throws Exception {
		Path data = skimage();
		check(open(data, "chelsea.png", 128, null), open(data, "ihc.png", 128, new int[] { 200, 100, 256, 256 }), "chelsea in the style of ihc");
	}

	@Test
	void anotherPhotoAndTextureToo() throws Exception {
		Path data = skimage();
		check(open(data, "astronaut.png", 128, null), open(data, "gravel.png", 128, null), "astronaut in the style of gravel");
	}
}
