package io.github.genij.ij.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;

class MacroHarnessTest {

	private static Context context;
	private MacroHarness harness;

	@BeforeAll
	static void start() {
		context = new Context();
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@BeforeEach
	void open() {
		harness = new MacroHarness(context);
	}

	@AfterEach
	void close() {
		harness.close();
	}

	@Test
	void theSampleMacroRunsHeadless() throws Exception {
		Path macro = Paths.get("macros", "GenIJ_Engine_Info.ijm");
		String printed = harness.run(macro, Collections.emptyMap());
		assertTrue(printed.contains("engine: PyTorch 2.7.1"), printed);
		assertTrue(printed.contains("GenIJ engine check done."), printed);
		assertEquals(Collections.emptyList(), harness.failures());
	}

	@Test
	void imagesPassByTitleOrAsTheActiveImageAndResultsBecomeNewImages() {
		String printed = harness.runText(String.join("\n",
			"newImage(\"my cells\", \"8-bit ramp\", 64, 48, 1);",
			"run(\"Box Blur\", \"input=[my cells] tilesize=32 outputtype=float32\");",
			"print(\"first: \" + getTitle() + \", \" + bitDepth() + \"-bit, images: \" + nImages);",
			"selectImage(\"my cells\");",
			"run(\"Box Blur\", \"tilesize=16\");",
			"print(\"second: \" + getTitle() + \", \" + bitDepth() + \"-bit, images: \" + nImages);",
			"run(\"Box Blur\", \"input=nosuch\");",
			"print(\"the macro went on\");"), Collections.emptyMap());
		assertTrue(printed.contains("first: my cells-blurred, 32-bit, images: 2"), printed);
		assertTrue(printed.contains("second: my cells-blurred, 8-bit, images: 3"), printed);
		assertTrue(printed.contains("the macro went on"), printed);
		assertEquals(1, harness.failures().size(), harness.failures().toString());
		assertTrue(harness.failures().get(0).contains("There is no image titled 'nosuch'"), harness.failures().toString());
	}

	@Test
	void commandFailuresAreLoggedAndTheMacroContinues() {
		String printed = harness.runText(String.join("\n",
			"newImage(\"a\", \"8-bit ramp\", 16, 16, 1);",
			"run(\"Box Blur\", \"input=a failwith=usererror\");",
			"print(\"after: \" + nImages);"), Collections.emptyMap());
		assertTrue(printed.contains("GenIJ Box Blur failed: The input is unsuitable: try another."), printed);
		assertTrue(printed.contains("after: 1"), printed);
	}

	@Test
	void scriptParametersBecomeVariablesAndBuiltInCommandsWork() {
		Map<String, String> params = new HashMap<>();
		params.put("input", "/data/in \"x\"");
		params.put("count", "3");
		String printed = harness.runText(String.join("\n",
			"#@ File (label=\"Input folder\", style=\"directory\") input",
			"#@ int count",
			"print(\"input=\" + input + \" count+1=\" + (count + 1));",
			"newImage(\"b\", \"16-bit ramp\", 8, 8, 1);",
			"run(\"Invert LUT\");",
			"print(\"inverted LUT: \" + is(\"Inverting LUT\"));",
			"close(\"*\");",
			"print(\"left: \" + nImages);"), params);
		assertTrue(printed.contains("input=/data/in \"x\" count+1=4"), printed);
		assertTrue(printed.contains("inverted LUT: 1"), printed);
		assertTrue(printed.contains("left: 0"), printed);
	}
}
