package io.github.genij.seg2photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import io.github.genij.core.engine.GenIJEngine;
import io.github.genij.testing.PythonOracle;

/**
 * Segmentation to Photo (SPADE) from label and instance images: the one-hot and instance-edge input built
 * in Java equals the reference's preprocess_input (the oracle's output is reproduced from the images alone),
 * and bad labels are refused naming the classes.
 */
class SegmentationToPhotoSpadeCommandTest {

	private static Context context;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	private static CommandModule run(Object... keys) throws Exception {
		return context.service(CommandService.class).run(SegmentationToPhotoSpadeCommand.class, true, keys).get();
	}

	private static ImagePlus bytes(NDArray a, String title) {
		long h = a.getShape().get(2), w = a.getShape().get(3);
		float[] v = a.toFloatArray();
		byte[] b = new byte[v.length];
		for (int i = 0; i < v.length; i++) b[i] = (byte) Math.round(v[i]);
		return new ImagePlus(title, new ByteProcessor((int) w, (int) h, b));
	}

	@Test
	void labelAndInstanceImagesGiveTheReferenceImage() throws Exception {
		Path f = SpadeFidelityTest.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			for (String[] c : new String[][] { { "normal_instance", "auto" }, { "more_dontcare_wide", "more" } }) {
				Map<String, NDArray> t = PythonOracle.tensors(m, f, c[0]);
				ImagePlus labels = bytes(t.get("labels"), "labels");
				Object[] keys = { "labels", labels, "model", f.resolve(c[0] + "_net_G.pth").toString(), "upsampling", c[1],
					"outputtype", "float32" };
				if (t.containsKey("instances")) {
					keys = java.util.Arrays.copyOf(keys, keys.length + 2);
					keys[keys.length - 2] = "instances";
					keys[keys.length - 1] = bytes(t.get("instances"), "instances");
				}
				CommandModule r = run(keys);
				assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
				ImagePlus out = (ImagePlus) r.getOutput("result");
				float[] e = t.get("out").toFloatArray();
				int n = out.getWidth() * out.getHeight();
				double worst = 0;
				for (int ch = 0; ch < 3; ch++) {
					float[] got = (float[]) out.getStack().getPixels(ch + 1);
					for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - e[ch * n + i]));
				}
				assertTrue(worst < 1e-4, c[0] + ": largest difference " + worst);
			}
		}
	}

	/**
	 * A --use_vae model with a style image: the encoder beside the generator (most_vae_net_E.pth, spectral norm folded with
	 * its unconverged u and v) gives the reference's mean style vector for an 80x48 RGB image (resized to 256x256
	 * bilinearly), and the generator the reference's image for it.
	 */
	@Test
	void aStyleImageThroughTheEncoderGivesTheReferenceImage() throws Exception {
		Path f = SpadeFidelityTest.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "most_vae");
			float[] levels = t.get("style").toFloatArray();
			int w = 80, h = 48, n = w * h;
			int[] rgb = new int[n];
			for (int i = 0; i < n; i++) rgb[i] = ((int) levels[i] << 16) | ((int) levels[n + i] << 8) | (int) levels[2 * n + i];
			ImagePlus style = new ImagePlus("style", new ij.process.ColorProcessor(w, h, rgb));
			float[] mu = t.get("mu").toFloatArray();
			float[] ours;
			java.util.Map<String, io.github.genij.core.weights.WeightTensor> sd = io.github.genij.core.weights.Weights.stateDict(
				f.resolve("most_vae_net_E.pth"));
			try (io.github.genij.core.engine.NoGrad g = io.github.genij.core.engine.NoGrad.enter();
				SpadeEncoder e = io.github.genij.core.nn.module.Module.loaded(SpadeEncoder.of(sd), sd, m, "E"))
			{
				ours = e.forward(m.create(io.github.genij.ij.PhotoValues.of(style, 3), new ai.djl.ndarray.types.Shape(1, 3, h, w))).toFloatArray();
			}
			for (int i = 0; i < mu.length; i++) assertEquals(mu[i], ours[i], 1e-4 * Math.max(1, Math.abs(mu[i])), "style vector " + i);

			CommandModule r = run("labels", bytes(t.get("labels"), "labels"), "model", f.resolve("most_vae_net_G.pth").toString(), "upsampling",
				"most", "style", style, "outputtype", "float32");
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			ImagePlus out = (ImagePlus) r.getOutput("result");
			float[] e = t.get("out_style").toFloatArray();
			int pixels = out.getWidth() * out.getHeight();
			double worst = 0;
			for (int ch = 0; ch < 3; ch++) {
				float[] got = (float[]) out.getStack().getPixels(ch + 1);
				for (int i = 0; i < pixels; i++) worst = Math.max(worst, Math.abs(got[i] - e[ch * pixels + i]));
			}
			assertTrue(worst < 1e-4, "largest difference " + worst);

			CommandModule plain = run("labels", bytes(t.get("labels"), "labels"), "model", f.resolve("normal_instance_net_G.pth").toString(),
				"style", style);
			assertTrue(plain.isCanceled() && plain.getCancelReason().contains("--use_vae"), String.valueOf(plain.getCancelReason()));
		}
	}

	/** bnstats=image: the parameter-free norms on the slice's own statistics, as the reference in train mode. */
	@Test
	void imageStatisticsGiveTheReferencesTrainModeImage() throws Exception {
		Path f = SpadeFidelityTest.folder();
		try (NDManager m = GenIJEngine.get().newBaseManager()) {
			Map<String, NDArray> t = PythonOracle.tensors(m, f, "normal_instance");
			CommandModule r = run("labels", bytes(t.get("labels"), "labels"), "instances", bytes(t.get("instances"), "instances"),
				"model", f.resolve("normal_instance_net_G.pth").toString(), "bnstats", "image", "outputtype", "float32");
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			ImagePlus out = (ImagePlus) r.getOutput("result");
			float[] e = t.get("out_image_stats").toFloatArray();
			int n = out.getWidth() * out.getHeight();
			double worst = 0;
			for (int ch = 0; ch < 3; ch++) {
				float[] got = (float[]) out.getStack().getPixels(ch + 1);
				for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - e[ch * n + i]));
			}
			assertTrue(worst < 1e-4, "largest difference " + worst);
		}
	}

	@Test
	void anUnknownLabelValueIsRefusedNamingTheClasses() throws Exception {
		Path f = SpadeFidelityTest.folder();
		ByteProcessor bp = new ByteProcessor(64, 64);
		bp.set(3, 3, 200);
		CommandModule r = run("labels", new ImagePlus("labels", bp), "model", f.resolve("normal_instance_net_G.pth").toString(),
			"instancechannel", "yes");
		assertTrue(r.isCanceled());
		assertEquals("The label image holds value(s) [200] that this model does not know: its classes are 0 to 4. Map them with " +
			"labelmap=<value>=<class>,...", r.getCancelReason());
		CommandModule mapped = run("labels", new ImagePlus("labels", bp), "model", f.resolve("normal_instance_net_G.pth").toString(),
			"instancechannel", "yes", "labelmap", "200=1");
		assertFalse(mapped.isCanceled(), String.valueOf(mapped.getCancelReason()));
		assertEquals(64, ((ImagePlus) mapped.getOutput("result")).getWidth());
	}

	/**
	 * Labels drawn as overlay ROIs, or saved from the ROI Manager as a RoiSet.zip (named by class number or by a name in
	 * labelmap), give the same image as the label image they paint.
	 */
	@Test
	void overlayRoisGiveTheSameImageAsTheLabelImageTheyPaint() throws Exception {
		Path f = SpadeFidelityTest.folder();
		String model = f.resolve("normal_instance_net_G.pth").toString();
		ByteProcessor painted = new ByteProcessor(64, 64);
		painted.setColor(3);
		painted.fill(new ij.gui.Roi(8, 8, 30, 20));
		painted.setColor(1);
		painted.fill(new ij.gui.OvalRoi(20, 20, 30, 30));
		ImagePlus fromImage = (ImagePlus) run("labels", new ImagePlus("labels", painted), "model", model, "instancechannel", "yes",
			"outputtype", "float32").getOutput("result");
		ij.gui.Overlay overlay = new ij.gui.Overlay();
		ij.gui.Roi rect = new ij.gui.Roi(8, 8, 30, 20);
		rect.setName("3");
		ij.gui.Roi oval = new ij.gui.OvalRoi(20, 20, 30, 30);
		oval.setName("tree");
		overlay.add(rect);
		overlay.add(oval);
		ImagePlus blank = new ImagePlus("blank", new ByteProcessor(64, 64));
		blank.setOverlay(overlay);
		CommandModule r = run("labels", blank, "model", model, "instancechannel", "yes", "labelsfrom", "overlay", "labelmap", "tree=1",
			"outputtype", "float32");
		assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
		ImagePlus fromOverlay = (ImagePlus) r.getOutput("result");
		for (int c = 1; c <= 3; c++)
			org.junit.jupiter.api.Assertions.assertArrayEquals((float[]) fromImage.getStack().getPixels(c),
				(float[]) fromOverlay.getStack().getPixels(c), 0f);
		// the same ROIs saved as the ROI Manager saves them (RoiSet.zip), with labelsfrom=rois
		java.nio.file.Path zip = java.nio.file.Files.createTempFile("RoiSet", ".zip");
		try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
			for (ij.gui.Roi roi : new ij.gui.Roi[] { rect, oval }) {
				out.putNextEntry(new java.util.zip.ZipEntry(roi.getName() + ".roi"));
				out.write(ij.io.RoiEncoder.saveAsByteArray(roi));
				out.closeEntry();
			}
		}
		CommandModule fromSet = run("labels", new ImagePlus("blank", new ByteProcessor(64, 64)), "model", model, "instancechannel", "yes",
			"labelsfrom", "rois", "roiset", zip.toFile(), "labelmap", "tree=1", "outputtype", "float32");
		assertFalse(fromSet.isCanceled(), String.valueOf(fromSet.getCancelReason()));
		for (int c = 1; c <= 3; c++)
			org.junit.jupiter.api.Assertions.assertArrayEquals((float[]) fromImage.getStack().getPixels(c),
				(float[]) ((ImagePlus) fromSet.getOutput("result")).getStack().getPixels(c), 0f);
		java.nio.file.Files.delete(zip);
		CommandModule noManager = run("labels", blank, "model", model, "instancechannel", "yes", "labelsfrom", "rois");
		assertTrue(noManager.isCanceled() && noManager.getCancelReason().contains("ROI Manager is not open"), String.valueOf(noManager.getCancelReason()));

		oval.setName("river");
		CommandModule unnamed = run("labels", blank, "model", model, "instancechannel", "yes", "labelsfrom", "overlay");
		assertTrue(unnamed.isCanceled());
		assertTrue(unnamed.getCancelReason().contains("The overlay ROI 'river' names no class"), unnamed.getCancelReason());
	}

	/**
	 * A model whose card lists class names: labelmap maps values to classes by name (any case), overlay ROIs named
	 * by a class name paint that class, and an unknown name is refused listing the model's names; the images equal
	 * those made with the class numbers.
	 */
	@Test
	void classNamesFromTheModelCardServeLabelmapAndRois(@org.junit.jupiter.api.io.TempDir Path store) throws Exception {
		Path f = SpadeFidelityTest.folder();
		Map<String, io.github.genij.core.weights.WeightTensor> weights = io.github.genij.core.weights.ImportRewrites.foldSpectralNorm(
			io.github.genij.core.weights.Weights.stateDict(f.resolve("normal_instance_net_G.pth")));
		io.github.genij.core.weights.ModelCard card = new io.github.genij.core.weights.ModelCard();
		card.name = "named";
		card.family = Seg2PhotoFamily.NAME;
		card.architecture = Seg2PhotoFamily.SPADE;
		card.parameters.putAll(new Seg2PhotoFamily().recognise(weights).parameters);
		card.parameters.put(ClassNames.KEY, java.util.List.of("sky", "tree", "road", "grass", "house"));
		System.setProperty(io.github.genij.core.weights.ModelStore.PROPERTY, store.toString());
		try {
			io.github.genij.core.weights.ModelStore.defaultStore().install(card, weights, false);
			ByteProcessor bp = new ByteProcessor(64, 64);
			bp.setColor(200);
			bp.fill(new ij.gui.Roi(10, 10, 30, 30));
			bp.setColor(100);
			bp.fill(new ij.gui.OvalRoi(30, 30, 20, 20));
			ImagePlus labels = new ImagePlus("labels", bp);
			ImagePlus byNumber = (ImagePlus) run("labels", labels, "model", "named", "instancechannel", "yes", "labelmap", "200=2,100=1",
				"outputtype", "float32").getOutput("result");
			CommandModule r = run("labels", labels, "model", "named", "instancechannel", "yes", "labelmap", "200=Road,100=tree", "outputtype",
				"float32");
			assertFalse(r.isCanceled(), String.valueOf(r.getCancelReason()));
			ImagePlus byName = (ImagePlus) r.getOutput("result");
			for (int c = 1; c <= 3; c++)
				org.junit.jupiter.api.Assertions.assertArrayEquals((float[]) byNumber.getStack().getPixels(c), (float[]) byName.getStack().getPixels(c), 0f);

			ij.gui.Overlay overlay = new ij.gui.Overlay();
			ij.gui.Roi rect = new ij.gui.Roi(10, 10, 30, 30);
			rect.setName("road");
			ij.gui.Roi oval = new ij.gui.OvalRoi(30, 30, 20, 20);
			oval.setName("Tree");
			overlay.add(rect);
			overlay.add(oval);
			ImagePlus blank = new ImagePlus("blank", new ByteProcessor(64, 64));
			blank.setOverlay(overlay);
			CommandModule rois = run("labels", blank, "model", "named", "instancechannel", "yes", "labelsfrom", "overlay", "outputtype", "float32");
			assertFalse(rois.isCanceled(), String.valueOf(rois.getCancelReason()));
			for (int c = 1; c <= 3; c++)
				org.junit.jupiter.api.Assertions.assertArrayEquals((float[]) byNumber.getStack().getPixels(c),
					(float[]) ((ImagePlus) rois.getOutput("result")).getStack().getPixels(c), 0f);

			CommandModule unknown = run("labels", labels, "model", "named", "instancechannel", "yes", "labelmap", "200=river");
			assertTrue(unknown.isCanceled());
			assertEquals("labelmap=200=river: 'river' is not a class of this model; its classes: sky=0, tree=1, road=2, grass=3, house=4.",
				unknown.getCancelReason());
			CommandModule noNames = run("labels", labels, "model", f.resolve("normal_instance_net_G.pth").toString(), "instancechannel", "yes",
				"labelmap", "200=road");
			assertTrue(noNames.getCancelReason().contains("its card lists no class names"), noNames.getCancelReason());
		}
		finally {
			System.clearProperty(io.github.genij.core.weights.ModelStore.PROPERTY);
		}
	}

	/** A stack of label images runs slice by slice: each slice as it would come out alone. */
	@Test
	void aStackGivesEachSliceAsAlone() throws Exception {
		String model = SpadeFidelityTest.folder().resolve("normal_instance_net_G.pth").toString();
		ij.ImageStack stack = new ij.ImageStack(64, 32);
		ByteProcessor[] slices = new ByteProcessor[2];
		for (int k = 0; k < 2; k++) {
			slices[k] = new ByteProcessor(64, 32);
			for (int i = 0; i < 64 * 32; i++) slices[k].set(i, (i / (9 + k * 5)) % 5);
			stack.addSlice("labels " + k, slices[k]);
		}
		ImagePlus both = (ImagePlus) run("labels", new ImagePlus("stack", stack), "model", model, "instancechannel", "yes")
			.getOutput("result");
		assertEquals(2, both.getStackSize());
		for (int k = 0; k < 2; k++) {
			ImagePlus alone = (ImagePlus) run("labels", new ImagePlus("slice", slices[k]), "model", model, "instancechannel", "yes")
				.getOutput("result");
			org.junit.jupiter.api.Assertions.assertArrayEquals((int[]) alone.getProcessor().getPixels(),
				(int[]) both.getStack().getPixels(k + 1), "slice " + k);
		}
	}
}
