package io.github.genij.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import io.github.genij.testing.PythonOracle;

/** The reader against checkpoints written by PyTorch itself (src/test/python/checkpoint_fixtures.py). */
class TorchCheckpointTest {

	static Path fixtures() {
		return PythonOracle.generate("checkpoint_fixtures.py");
	}

	static JsonArray cases(Path folder) throws IOException {
		try (Reader r = Files.newBufferedReader(folder.resolve("cases.json"))) {
			return new Gson().fromJson(r, JsonArray.class);
		}
	}

	@TestFactory
	Stream<DynamicTest> everyFixtureReadsBackExactly() throws IOException {
		Path folder = fixtures();
		List<DynamicTest> tests = new ArrayList<>();
		for (JsonElement e : cases(folder)) {
			JsonObject c = e.getAsJsonObject();
			tests.add(DynamicTest.dynamicTest(c.get("file").getAsString(), () -> check(folder, c)));
		}
		return tests.stream();
	}

	private static void check(Path folder, JsonObject c) {
		String name = c.get("name").getAsString();
		TorchCheckpoint ckpt = TorchCheckpoint.read(folder.resolve(c.get("file").getAsString()));
		assertEquals(c.get("format").getAsString(), ckpt.format());
		Map<String, WeightTensor> expected = Safetensors.read(folder.resolve(name + ".expected.safetensors"));
		assertEquals(expected.keySet(), ckpt.tensors().keySet(), "every tensor found, by its path");
		for (Map.Entry<String, WeightTensor> e : expected.entrySet()) {
			WeightTensor got = ckpt.tensors().get(e.getKey());
			assertEquals(e.getValue().dtype, got.dtype, e.getKey());
			assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
			assertArrayEquals(e.getValue().bytes(), got.bytes(), e.getKey() + ": the same bytes");
		}
		List<String> sdKeys = new ArrayList<>();
		for (JsonElement k : c.getAsJsonArray("state_dict_keys")) sdKeys.add(k.getAsString());
		// keys of a wrapped state dict are relative to their wrapper ('state_dict.conv.weight' -> 'conv.weight')
		boolean wrapped = name.equals("training") || name.equals("nested");
		List<String> expectedStateDict = new ArrayList<>();
		for (String k : sdKeys) expectedStateDict.add(wrapped ? k.substring(k.indexOf('.') + 1) : k);
		assertEquals(expectedStateDict, new ArrayList<>(ckpt.stateDict().keySet()), "the model's own state dict");
		for (Map.Entry<String, JsonElement> v : c.getAsJsonObject("values").entrySet()) {
			Object got = ckpt.values().get(v.getKey());
			if (v.getValue().getAsJsonPrimitive().isString()) assertEquals(v.getValue().getAsString(), got, v.getKey());
			else assertEquals(v.getValue().getAsDouble(), ((Number) got).doubleValue(), 0, v.getKey());
		}
		if (c.get("folded").getAsBoolean()) {
			Map<String, WeightTensor> folded = ImportRewrites.foldWeightNorm(ImportRewrites.foldSpectralNorm(ckpt.stateDict()));
			Map<String, WeightTensor> want = Safetensors.read(folder.resolve(name + ".folded.safetensors"));
			assertEquals(want.keySet(), folded.keySet());
			for (String k : want.keySet()) {
				float[] a = want.get(k).toFloats(), b = folded.get(k).toFloats();
				for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5f * Math.max(1, Math.abs(a[i])), k + "[" + i + "]");
			}
		}
	}

	@Test
	void halfAndBfloatConvertLikePyTorch() {
		Path folder = fixtures();
		Map<String, WeightTensor> t = TorchCheckpoint.read(folder.resolve("dtypes.zip.pth")).tensors();
		float[] specials = t.get("half_specials").toFloats();
		assertEquals(0f, specials[0], 0f);
		assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(specials[1]));
		assertEquals(1.1920929e-7f, specials[2], 1e-9f); // 1e-7 rounds to the nearest half, a subnormal
		assertEquals(65504f, specials[3], 0f);
		assertEquals(Float.POSITIVE_INFINITY, specials[4], 0f);
		assertEquals(Float.NEGATIVE_INFINITY, specials[5], 0f);
		// 6.1e-5 is just below the smallest normal half (2^-14): PyTorch stores the subnormal 1023 * 2^-24
		assertEquals(1023 * 0x1p-24f, specials[6], 0f);
	}

	@Test
	void dataParallelPrefixesAreStrippedAndStatsDropped() {
		Map<String, WeightTensor> sd = TorchCheckpoint.read(fixtures().resolve("dataparallel.legacy.pth")).stateDict();
		assertTrue(sd.keySet().stream().allMatch(k -> k.startsWith("module.")));
		Map<String, WeightTensor> stripped = ImportRewrites.stripPrefix(sd, "module.");
		assertTrue(stripped.containsKey("conv.weight"));
		assertTrue(stripped.containsKey("norm.running_mean"));
		Map<String, WeightTensor> noStats = ImportRewrites.dropRunningStats(stripped, m -> m.equals("norm"));
		assertFalse(noStats.containsKey("norm.running_mean"));
		assertFalse(noStats.containsKey("norm.num_batches_tracked"));
		assertTrue(noStats.containsKey("norm.weight"));
		assertEquals(8, ImportRewrites.dimension(noStats, "conv.weight", 0));
	}

	@Test
	void anImportReportNamesMissingUnexpectedAndMisshapenKeys() {
		Map<String, WeightTensor> sd = ImportRewrites.stripPrefix(
			TorchCheckpoint.read(fixtures().resolve("dataparallel.zip.pth")).stateDict(), "module.");
		Map<String, long[]> wanted = new java.util.LinkedHashMap<>();
		wanted.put("conv.weight", new long[] { 8, 3, 3, 3 });
		wanted.put("conv.bias", new long[] { 4 });
		wanted.put("head.weight", new long[] { 1 });
		ImportReport r = ImportReport.compare(wanted, sd);
		assertEquals(1, r.matched);
		assertEquals(List.of("head.weight"), r.missing);
		assertTrue(r.mismatched.get(0).startsWith("conv.bias (checkpoint [8], network [4])"), r.mismatched.toString());
		assertTrue(r.unexpected.contains("up.weight"));
		CheckpointException e = assertThrows(CheckpointException.class, () -> r.requireFit("latest_net_G.pth"));
		assertTrue(e.getMessage().contains("missing (the network needs them): 1\n  head.weight"), e.getMessage());
	}

	@Test
	void safetensorsRoundTrip(@TempDir Path dir) {
		Map<String, WeightTensor> sd = TorchCheckpoint.read(fixtures().resolve("dtypes.legacy.pth")).tensors();
		Path file = dir.resolve("w.safetensors");
		Safetensors.write(file, sd, Map.of("family", "test"));
		assertTrue(Safetensors.looksLike(file));
		Map<String, WeightTensor> back = Weights.stateDict(file);
		assertEquals(sd.keySet(), new java.util.TreeSet<>(back.keySet()).descendingSet().descendingSet());
		for (String k : sd.keySet()) assertArrayEquals(sd.get(k).bytes(), back.get(k).bytes(), k);
	}

	@Test
	void filesThatAreNoCheckpointSaySo(@TempDir Path dir) throws IOException {
		Path text = dir.resolve("notes.pth");
		Files.writeString(text, "these are not weights");
		CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(text));
		assertTrue(e.getMessage().startsWith("notes.pth is not a PyTorch checkpoint"), e.getMessage());
		Path zip = dir.resolve("other.zip");
		try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
			z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
			z.write(1);
		}
		e = assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(zip));
		assertTrue(e.getMessage().contains("without data.pkl"), e.getMessage());
		e = assertThrows(CheckpointException.class, () -> Weights.stateDict(dir.resolve("absent.pth")));
		assertTrue(e.getMessage().startsWith("No such weights file"), e.getMessage());
	}
}
