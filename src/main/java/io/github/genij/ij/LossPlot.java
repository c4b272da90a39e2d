package io.github.genij.ij;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;

import ij.gui.Plot;
import ij.gui.PlotWindow;

/**
 * A loss curve that a person can watch while a long optimisation or training runs. Headless (macros in
 * batch, the CLI, clusters) it only collects the points; {@link #plot()} still makes the figure.
 */
public final class LossPlot {

	private final String title, xLabel;
	private final List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
	private final boolean visible = !GraphicsEnvironment.isHeadless();
	private PlotWindow window;

	public LossPlot(String title, String xLabel) {
		this.title = title;
		this.xLabel = xLabel;
	}

	public int size() {
		return xs.size();
	}

	public void add(double x, double loss) {
		xs.add(x);
		ys.add(loss);
	}

	/** The figure as it stands (log-scaled loss). */
	public Plot plot() {
		Plot p = new Plot(title, xLabel, "loss");
		p.setLogScaleY();
		p.addPoints(xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray(),
			Plot.LINE);
		p.setLimitsToFit(false);
		return p;
	}

	/** Shows or refreshes the plot window when there is a screen. */
	public void refresh() {
		if (!visible || xs.isEmpty()) return;
		Plot p = plot();
		if (window == null || window.isClosed()) window = p.show();
		else window.drawPlot(p);
	}
}
