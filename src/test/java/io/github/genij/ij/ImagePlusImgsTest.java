package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import io.github.genij.core.GenIJException;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.core.tensor.ChannelMapping;
import io.github.genij.core.tensor.ImageTensors;
import io.github.genij.core.tensor.ValuePreset;
import io.github.genij.core.tensor.ValueRange;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;

class ImagePlusImgsTest {

	private static ImagePlus noisy(int bitDepth, int c, int z, int t) {
		ImagePlus imp = IJ.createHyperStack("noisy", 23, 11, c, z, t, bitDepth);
		java.util.Random r = new java.util.Random(bitDepth);
		for (int i = 1; i <= imp.getStackSize(); i++) {
			ij.process.ImageProcessor ip = imp.getStack().getProcessor(i);
			for (int p = 0; p < 23 * 11; p++)
				ip.setf(p, bitDepth == 32 ? (float) r.nextGaussian() * 100 : bitDepth == 16 ? r.nextInt(65536) : r.nextInt(256));
		}
		return imp;
	}

	@Test
	void grayHyperstacksShareTheirArraysPositionByPosition() {
		for (int bits : new int[] { 8, 16, 32 }) {
			ImagePlus imp = noisy(bits, 2, 3, 2);
			PlanarImg<?, ?> img = ImagePlusImgs.channels(imp, 2, 2);
			assertEquals(3, img.numDimensions());
			assertEquals(2, img.dimension(2));
			for (int c = 0; c < 2; c++) {
				Object array = ((ArrayDataAccess<?>) img.getPlane(c)).getCurrentStorageArray();
				assertSame(imp.getStack().getPixels(imp.getStackIndex(c + 1, 2, 2)), array, "no copy for " + bits + "-bit");
			}
			// a write through imglib2 lands in the ImagePlus
			@SuppressWarnings("unchecked")
			RandomAccess<? extends RealType<?>> ra = ((RandomAccessibleInterval<? extends RealType<?>>) img).randomAccess();
			ra.setPosition(new long[] { 4, 5, 1 });
			ra.get().setReal(77);
			assertEquals(77f, imp.getStack().getProcessor(imp.getStackIndex(2, 2, 2)).getf(4, 5), 0f);
		}
	}

	@Test
	void rgbIsOnePackedPlaneSeenAsThreeChannels() {
		ColorProcessor cp = new ColorProcessor(5, 4);
		cp.set(2, 3, 0x123456);
		ImagePlus imp = new ImagePlus("rgb", cp);
		assertSame(cp.getPixels(), ImagePlusImgs.rgb(imp, 1, 1).update(null).getCurrentStorageArray());
		RandomAccessibleInterval<UnsignedByteType> ch = ImagePlusImgs.rgbAsChannels(ImagePlusImgs.rgb(imp, 1, 1));
		RandomAccess<UnsignedByteType> ra = ch.randomAccess();
		assertEquals(0x12, ra.setPositionAndGet(2, 3, 0).get());
		assertEquals(0x34, ra.setPositionAndGet(2, 3, 1).get());
		assertEquals(0x56, ra.setPositionAndGet(2, 3, 2).get());
		GenIJException e = assertThrows(GenIJException.class, () -> ImagePlusImgs.channels(imp, 1, 1));
		assertTrue(e.getMessage().contains("RGB"));
	}

	@Test
	void everyImageTypeRoundTripsThroughATensorExactly() {
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			for (int bits : new int[] { 8, 16, 32, 24 }) {
				ImagePlus imp = bits == 24 ? IJ.createImage("rgb", "RGB noise", 31, 17, 1) : noisy(bits, 3, 1, 1);
				ImagePlus copy = imp.duplicate();
				RandomAccessibleInterval<? extends RealType<?>> img = ImagePlusImgs.asChannels(imp, 1, 1);
				int channels = ImagePlusImgs.channelCount(imp);
				ChannelMapping map = ValuePreset.SYMMETRIC.mapping(bits == 32 ? new ValueRange(-300, 300) : bits == 16 ?
					ValueRange.UNSIGNED_SHORT : ValueRange.BYTE, channels);
				NDArray t = ImageTensors.toTensor(img, map, m);
				// clear the image, then write the tensor back into it
				for (int i = 1; i <= imp.getStackSize(); i++) imp.getStack().getProcessor(i).setValue(0);
				for (int i = 1; i <= imp.getStackSize(); i++) imp.getStack().getProcessor(i).fill();
				if (bits == 24) ImageTensors.toRgbImage(t, map.inverse(), ImagePlusImgs.rgb(imp, 1, 1));
				else ImageTensors.toImage(t, map.inverse(), ImagePlusImgs.asChannels(imp, 1, 1));
				for (int i = 1; i <= imp.getStackSize(); i++) {
					ij.process.ImageProcessor a = copy.getStack().getProcessor(i), b = imp.getStack().getProcessor(i);
					for (int p = 0; p < a.getPixelCount(); p++) {
						if (bits == 32) assertEquals(a.getf(p), b.getf(p), 1e-4f * Math.max(1, Math.abs(a.getf(p))));
						else assertEquals(a.get(p) & 0xffffff, b.get(p) & 0xffffff, bits + "-bit pixel " + p);
					}
				}
			}
		}
	}
}
