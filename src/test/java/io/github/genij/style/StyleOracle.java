package io.github.genij.style;

import java.nio.file.Path;

import io.github.genij.testing.PythonOracle;

/** The style oracle's folder (src/test/python/style_oracle.py), generated once per test run. */
final class StyleOracle {

	private StyleOracle() {}

	static Path folder() {
		return PythonOracle.generate("style_oracle.py");
	}
}
