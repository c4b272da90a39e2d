package io.github.genij.core.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.genij.core.GenIJException;
import io.github.genij.core.progress.Progress;

class CheckpointImporterTest {

	@TempDir
	Path dir;

	@TestFactory
	Stream<DynamicTest> referenceArchitecturesAreRecognisedFromTheirKeys() throws IOException {
		Path folder = TorchCheckpointTest.fixtures();
		JsonArray cases;
		try (Reader r = Files.newBufferedReader(folder.resolve("architectures.json"))) {
			cases = new Gson().fromJson(r, JsonArray.class);
		}
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonElement e : cases) {
			JsonObject c = e.getAsJsonObject();
			tests.add(DynamicTest.dynamicTest(c.get("file").getAsString(), () -> {
				ArchitectureDetector.Detection d = ArchitectureDetector.detect(
					TorchCheckpoint.read(folder.resolve(c.get("file").getAsString())).stateDict());
				assertNotNull(d, "recognised");
				JsonObject want = c.getAsJsonObject("expected");
				assertEquals(want.get("family").getAsString(), d.family);
				assertEquals(want.get("architecture").getAsString(), d.architecture);
				for (Map.Entry<String, JsonElement> p : want.entrySet()) {
					if (p.getKey().equals("family") || p.getKey().equals("architecture")) continue;
					assertEquals(p.getValue().getAsString(), String.valueOf(d.parameters.get(p.getKey())), p.getKey());
				}
			}));
		}
		return tests.stream();
	}

	/** A family or architecture given by hand that the keys contradict is refused, not ignored. */
	@Test
	void aFamilyTheKeysContradictIsRefused() {
		Path src = TorchCheckpointTest.fixtures().resolve("arch_resnet9_instance.pth");
		ModelStore store = new ModelStore(dir.resolve("store"));
		GenIJException e = assertThrows(GenIJException.class, () -> CheckpointImporter.importCheckpoint(src.toString(), "style",
			"auto", "x", null, store, false, Progress.NONE));
		assertEquals("family=style was given, but the checkpoint's keys are those of translate. Use family=auto, or check the file.",
			e.getMessage());
		e = assertThrows(GenIJException.class, () -> CheckpointImporter.importCheckpoint(src.toString(), "auto", "unet_256", "x",
			null, store, false, Progress.NONE));
		assertTrue(e.getMessage().startsWith("arch=unet_256 was given, but the checkpoint's keys are those of resnet_9blocks."),
			e.getMessage());
		assertFalse(store.contains("x"));
	}

	@Test
	void importingWritesACardAndVerifiedSafetensors() {
		Path src = TorchCheckpointTest.fixtures().resolve("arch_resnet9_instance.pth");
		ModelStore store = new ModelStore(dir.resolve("store"));
		CheckpointImporter.Result r = CheckpointImporter.importCheckpoint(src.toString(), "auto", "auto", "horse2zebra-test",
			null, store, false, Progress.NONE);
		assertEquals("translate", r.card.family);
		assertEquals("resnet_9blocks", r.card.architecture);
		assertEquals("symmetric", r.card.preset);
		assertEquals(8L, ((Number) r.card.parameters.get("ngf")).longValue());
		assertEquals(Hashing.sha256(src), r.card.provenance.sourceSha256);
		assertTrue(r.report.contains("recognised: translate/resnet_9blocks"), r.report);
		ModelStore.Installed back = store.load("horse2zebra-test");
		assertEquals(TorchCheckpoint.read(src).stateDict().keySet(), back.weights.keySet());
		assertEquals("resnet_9blocks", back.card.architecture);
		assertEquals(1, store.list().size());
	}

	@Test
	void rewritesApplyOnImport() {
		Path folder = TorchCheckpointTest.fixtures();
		ModelStore store = new ModelStore(dir.resolve("store"));
		CheckpointImporter.importCheckpoint(folder.resolve("dataparallel.legacy.pth").toString(), "translate", "custom",
			"dp", null, store, false, Progress.NONE);
		assertTrue(store.load("dp").weights.containsKey("conv.weight"), "module. prefix removed");
		CheckpointImporter.importCheckpoint(folder.resolve("normed.zip.pth").toString(), "seg2photo", "custom", "sn", null,
			store, false, Progress.NONE);
		Map<String, WeightTensor> w = store.load("sn").weights;
		assertTrue(w.containsKey("sn.weight") && !w.containsKey("sn.weight_orig") && !w.containsKey("wn.weight_g"), w.keySet().toString());
	}

	@Test
	void badRequestsAreRefusedWithReasons() throws IOException {
		Path folder = TorchCheckpointTest.fixtures();
		ModelStore store = new ModelStore(dir.resolve("store"));
		String src = folder.resolve("dtypes.zip.pth").toString();
		GenIJException e = assertThrows(GenIJException.class,
			() -> CheckpointImporter.importCheckpoint(src, "auto", "auto", "x", null, store, false, Progress.NONE));
		assertTrue(e.getMessage().contains("could not be recognised"), e.getMessage());
		e = assertThrows(GenIJException.class,
			() -> CheckpointImporter.importCheckpoint(src, "style", "custom", "../escape", null, store, false, Progress.NONE));
		assertTrue(e.getMessage().contains("not a usable model name"), e.getMessage());
		e = assertThrows(GenIJException.class, () -> CheckpointImporter.importCheckpoint(src, "style", "custom", "ok",
			"0123456789abcdef", store, false, Progress.NONE));
		assertTrue(e.getMessage().contains("not the expected 0123456789abcdef"), e.getMessage());
		assertFalse(store.contains("ok"));
		CheckpointImporter.importCheckpoint(src, "style", "custom", "ok", null, store, false, Progress.NONE);
		e = assertThrows(GenIJException.class,
			() -> CheckpointImporter.importCheckpoint(src, "style", "custom", "ok", null, store, false, Progress.NONE));
		assertTrue(e.getMessage().contains("already installed"), e.getMessage());
		CheckpointImporter.importCheckpoint(src, "style", "other", "ok", null, store, true, Progress.NONE);
		assertEquals("other", store.load("ok").card.architecture);
		try (Stream<Path> left = Files.list(store.root())) {
			assertEquals(List.of("ok"), left.map(p -> p.getFileName().toString()).sorted().collect(java.util.stream.Collectors.toList()),
				"no staging or replaced folders left behind");
		}
	}

	@Test
	void changedWeightsAreCaughtOnLoad() throws IOException {
		ModelStore store = new ModelStore(dir.resolve("store"));
		CheckpointImporter.importCheckpoint(TorchCheckpointTest.fixtures().resolve("views.zip.pth").toString(), "style",
			"custom", "v", null, store, false, Progress.NONE);
		Path weights = store.root().resolve("v").resolve(ModelCard.WEIGHTS_FILE);
		byte[] b = Files.readAllBytes(weights);
		b[b.length - 1] ^= 1;
		Files.write(weights, b);
		GenIJException e = assertThrows(GenIJException.class, () -> store.load("v"));
		assertTrue(e.getMessage().contains("do not match their SHA-256"), e.getMessage());
	}
}
