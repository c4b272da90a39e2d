package io.github.genij.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FashionSilhouettesTest {

	@Test
	void theSilhouetteFillsHolesButNotTheBackgroundAroundTheItem() {
		int n = FashionSilhouettes.ITEM;
		byte[] ring = new byte[n * n];
		// a bright ring 4 px wide around a dark centre, faint noise (below the threshold) outside
		for (int y = 0; y < n; y++) {
			for (int x = 0; x < n; x++) {
				double r = Math.hypot(x - 13.5, y - 13.5);
				ring[y * n + x] = (byte) (r >= 6 && r < 10 ? 200 : r >= 10 ? 5 : 0);
			}
		}
		boolean[] inside = FashionSilhouettes.silhouette(ring);
		assertTrue(inside[14 * n + 14], "the hole in the middle is filled");
		assertTrue(inside[14 * n + 6], "the ring itself");
		assertFalse(inside[0], "the corner is background");
		assertFalse(inside[14 * n + 1], "faint noise outside is background");
		int count = 0;
		for (boolean b : inside) if (b) count++;
		assertEquals(Math.PI * 100, count, 40, "about the disc of radius 10");
	}
}
