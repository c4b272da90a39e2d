package io.github.genij.stylegan;

/** Paths between latents: spherical in z (as NVIDIA's path-length metric walks z), linear in w. */
public final class Latents {

	private Latents() {}

	/**
	 * NVIDIA's {@code slerp}: a and b normalised, the great-circle point at fraction t; unit length (the
	 * mapping network normalises z anyway).
	 */
	public static double[] slerp(double[] a, double[] b, double t) {
		double[] ua = unit(a), ub = unit(b);
		double d = dot(ua, ub);
		double p = t * Math.acos(Math.max(-1, Math.min(1, d)));
		double[] c = new double[ua.length];
		for (int i = 0; i < c.length; i++) c[i] = ub[i] - d * ua[i];
		double cn = norm(c);
		if (cn < 1e-12) return ua; // a and b point the same way
		double[] out = new double[ua.length];
		for (int i = 0; i < out.length; i++) out[i] = ua[i] * Math.cos(p) + c[i] / cn * Math.sin(p);
		return unit(out);
	}

	public static double[] lerp(double[] a, double[] b, double t) {
		double[] out = new double[a.length];
		for (int i = 0; i < a.length; i++) out[i] = a[i] + (b[i] - a[i]) * t;
		return out;
	}

	private static double[] unit(double[] v) {
		double n = norm(v);
		double[] out = new double[v.length];
		for (int i = 0; i < v.length; i++) out[i] = v[i] / n;
		return out;
	}

	private static double norm(double[] v) {
		return Math.sqrt(dot(v, v));
	}

	private static double dot(double[] a, double[] b) {
		double s = 0;
		for (int i = 0; i < a.length; i++) s += a[i] * b[i];
		return s;
	}
}
