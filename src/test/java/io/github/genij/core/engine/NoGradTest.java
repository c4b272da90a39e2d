package io.github.genij.core.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import ai.djl.pytorch.jni.JniUtils;

class NoGradTest {

	/** A fresh thread starts with grad mode on (libtorch's default); the scope turns it off and back. */
	@Test
	void switchesRecordingOffOnThisThreadAndRestoresIt() throws Exception {
		GenIJEngine.get();
		AtomicBoolean before = new AtomicBoolean(), inside = new AtomicBoolean(true), after = new AtomicBoolean();
		Thread t = new Thread(() -> {
			before.set(JniUtils.isGradMode());
			try (NoGrad g = NoGrad.enter()) {
				inside.set(JniUtils.isGradMode());
			}
			after.set(JniUtils.isGradMode());
		});
		t.start();
		t.join();
		assertTrue(before.get(), "a new thread records gradients by default");
		assertFalse(inside.get());
		assertTrue(after.get(), "restored");
	}
}
