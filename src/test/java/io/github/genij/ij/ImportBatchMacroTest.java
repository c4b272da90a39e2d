package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import io.github.genij.core.weights.ModelStore;
import io.github.genij.ij.macro.MacroHarness;
import io.github.genij.testing.PythonOracle;

class ImportBatchMacroTest {

	@Test
	void aFolderOfCheckpointsIsImportedSkippingInstalledAndBadFiles(@TempDir Path dir) throws Exception {
		Path fixtures = PythonOracle.generate("checkpoint_fixtures.py");
		Path in = Files.createDirectories(dir.resolve("in"));
		Files.copy(fixtures.resolve("arch_resnet9_instance.pth"), in.resolve("horse2zebra.pth"), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(fixtures.resolve("arch_fast_style.pth"), in.resolve("candy.pth"));
		Files.copy(fixtures.resolve("arch_unet256_batch.pth"), in.resolve("facades.pth"));
		Files.write(in.resolve("broken.pth"), new byte[] { 'P', 'K', 3, 4, 0, 0 });
		Files.writeString(in.resolve("notes.txt"), "not a checkpoint");
		System.setProperty(ModelStore.PROPERTY, dir.resolve("store").toString());
		try (Context context = new Context(); MacroHarness h = new MacroHarness(context)) {
			Map<String, String> p = new HashMap<>();
			p.put("input", in.toString());
			p.put("family", "auto");
			h.runText("run(\"Import Checkpoint\", \"file=[" + in.resolve("facades.pth") + "] name=facades\");", new HashMap<>());
			String printed = h.run(Paths.get("macros", "GenIJ_Batch_Import_Checkpoints.ijm"), p);
			assertTrue(printed.contains("GenIJ batch finished: 2 done, 1 skipped, 2 failed."), printed);
			assertTrue(new ModelStore(dir.resolve("store")).contains("horse2zebra"));
			assertTrue(new ModelStore(dir.resolve("store")).contains("candy"));
		}
		finally {
			System.clearProperty(ModelStore.PROPERTY);
		}
	}
}
