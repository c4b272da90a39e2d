package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.genij.core.weights.ModelStore;
import io.github.genij.testing.PythonOracle;

/** Model Info against PyTorch: the parameter counts of the reference modules, for checkpoints of every kind. */
class ModelInfoCommandTest {

	@TempDir
	Path store;
	private Context context;

	@BeforeEach
	void start() {
		System.setProperty(ModelStore.PROPERTY, store.toString());
		context = new Context();
	}

	@AfterEach
	void stop() {
		context.dispose();
		System.clearProperty(ModelStore.PROPERTY);
	}

	@Test
	void countsParametersAsPyTorchDoes() throws Exception {
		Path folder = PythonOracle.generate("checkpoint_fixtures.py");
		JsonArray cases;
		try (Reader r = Files.newBufferedReader(folder.resolve("architectures.json"))) {
			cases = new Gson().fromJson(r, JsonArray.class);
		}
		int checked = 0;
		for (JsonElement e : cases) {
			JsonObject c = e.getAsJsonObject();
			String report = info(folder.resolve(c.get("file").getAsString()).toString(), 32, 32); // U-Nets round up to their multiple
			JsonObject counts = c.getAsJsonObject("counts");
			assertEquals(counts.get("parameters").getAsLong(), number(report, "learned parameters"), c.get("file") + "\n" + report);
			assertEquals(counts.get("buffers").getAsLong(), number(report, "running statistics and counters"), c.get("file") + "\n" + report);
			assertTrue(number(report, "multiply-adds") > 0, report);
			checked++;
		}
		assertTrue(checked >= 6, "U-Net, ResNet, fast style and AdaIN decoder cases: " + checked);
	}

	@Test
	void describesAnInstalledModelFromItsCardAndGivesTheTilersNumbers() throws Exception {
		Path ckpt = PythonOracle.generate("checkpoint_fixtures.py").resolve("arch_resnet9_instance.pth");
		CommandModule imported = context.service(CommandService.class).run(ImportCheckpointCommand.class, true, "file", ckpt.toFile(),
			"name", "r9").get();
		assertFalse(imported.isCanceled(), String.valueOf(imported.getCancelReason()));
		String report = info("r9", 100, 60);
		assertTrue(report.contains("architecture: resnet_9blocks"), report);
		// stem 7x7, two stride-2 3x3, 18 3x3 at stride 4, two stride-2 transposed 3x3 (2 taps each), 7x7 out
		assertEquals(1 + 6 + 2 + 2 * 2 + 18 * 2 * 4 + 4 + 2 + 6, number(report, "receptive field"), report);
		assertEquals(4, number(report, "size multiple"), report);
		assertTrue(report.contains("traced at: 100 x 60 px"), report);
		assertTrue(report.contains("output: [1, 3, 60, 100]"), report);
		// every ResNet convolution at 100x60: weights x output pixels, by hand
		long px = 100 * 60, quarter = px / 16, half = px / 4;
		long macs = px * 8 * 3 * 49 + half * 16 * 8 * 9 + quarter * 32 * 16 * 9 + 18 * quarter * 32 * 32 * 9 + quarter * 32 * 16 * 9 +
			half * 16 * 8 * 9 + px * 3 * 8 * 49;
		assertEquals(macs, number(report, "multiply-adds"), report);
	}

	/** From an ImageJ macro with lower-case keys, and a bad value refused with its reason. */
	@Test
	void runsFromAMacroAndRefusesABadSize() throws Exception {
		Path ckpt = PythonOracle.generate("checkpoint_fixtures.py").resolve("arch_resnet9_instance.pth");
		String printed;
		try (io.github.genij.ij.macro.MacroHarness h = new io.github.genij.ij.macro.MacroHarness(context)) {
			printed = h.runText("run(\"Model Info\", \"model=[" + ckpt + "] width=64 height=32\");\n" +
				"run(\"Model Info\", \"model=[" + ckpt + "] width=0 height=32\");", new java.util.HashMap<>());
		}
		assertTrue(printed.contains("architecture: resnet_9blocks"), printed);
		assertTrue(printed.contains("traced at: 64 x 32 px"), printed);
		assertTrue(printed.contains("width=0 is too small: give 1 or more."), printed);
	}

	private String info(String model, int width, int height) throws Exception {
		CommandModule m = context.service(CommandService.class).run(ModelInfoCommand.class, true, "model", model, "width", width,
			"height", height).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		return (String) m.getOutput("report");
	}

	private static long number(String report, String key) {
		Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (\\d+)").matcher(report);
		assertTrue(m.find(), key + " in\n" + report);
		return Long.parseLong(m.group(1));
	}
}
