package io.github.genij.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import io.github.genij.core.weights.ModelStore;
import io.github.genij.testing.PythonOracle;

class ImportCheckpointCommandTest {

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
	void importsIntoTheStoreAndReports() throws Exception {
		File ckpt = PythonOracle.generate("checkpoint_fixtures.py").resolve("arch_unet256_batch.pth").toFile();
		CommandModule m = context.service(CommandService.class).run(ImportCheckpointCommand.class, true, "file", ckpt,
			"name", "facades").get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		String report = (String) m.getOutput("report");
		assertTrue(report.contains("recognised: translate/unet_256"), report);
		assertTrue(new ModelStore(store).contains("facades"));
		CommandModule again = context.service(CommandService.class).run(ImportCheckpointCommand.class, true, "file", ckpt,
			"name", "facades").get();
		assertTrue(again.isCanceled());
		assertTrue(again.getCancelReason().contains("already installed"), again.getCancelReason());
		CommandModule none = context.service(CommandService.class).run(ImportCheckpointCommand.class, true, "name", "x").get();
		assertEquals("Give the checkpoint as file=<path> or url=<address>.", none.getCancelReason());
		CommandModule both = context.service(CommandService.class).run(ImportCheckpointCommand.class, true, "file", ckpt,
			"url", "https://example.org/x.pth", "name", "y").get();
		assertEquals("Give the checkpoint as file=<path> or url=<address>, not both.", both.getCancelReason());
		CommandModule badHash = context.service(CommandService.class).run(ImportCheckpointCommand.class, true, "file", ckpt,
			"sha256", "xyz", "name", "z").get();
		assertTrue(badHash.getCancelReason().startsWith("sha256=xyz is not a SHA-256"), badHash.getCancelReason());
	}
}
