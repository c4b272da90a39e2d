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

	private final String title, xLabel, yLabel;
	private final List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
	/** An optional second curve (held-out figures beside training ones), with the names of both for the legend. */
	private final List<Double> xs2 = new ArrayList<>(), ys2 = new ArrayList<>();
	private String firstName = "", secondName = "";
	private final boolean visible = !GraphicsEnvironment.isHeadless();
	private PlotWindow window;

	public LossPlot(String title, String xLabel) {
		this(title, xLabel, "loss");
	}

	public LossPlot(String title, String xLabel, String yLabel) {
		this.title = title;
		this.xLabel = xLabel;
		this.yLabel = yLabel;
	}

	/** Names the curves for a legend; the second one is filled with {@link #addSecond}. */
	public LossPlot curves(String first, String second) {
		this.firstName = first;
		this.secondName = second;
		return this;
	}

	public void addSecond(double x, double value) {
		xs2.add(x);
		ys2.add(value);
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
		Plot p = new Plot(title, xLabel, yLabel);
		p.setLogScaleY();
		p.setColor(java.awt.Color.BLUE);
		p.addPoints(xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray(),
			Plot.LINE);
		if (!xs2.isEmpty()) {
			p.setColor(java.awt.Color.RED);
			p.addPoints(xs2.stream().mapToDouble(Double::doubleValue).toArray(), ys2.stream().mapToDouble(Double::doubleValue).toArray(),
				Plot.CONNECTED_CIRCLES);
			p.addLegend(firstName + "\n" + secondName);
		}
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
