package dev.pmm.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the bench keeps of repeated measurements: latency samples and throughput runs. */
final class BenchStats {
  private BenchStats() {}

  /** Latency samples in nanoseconds, reported in milliseconds by nearest rank. */
  static final class Samples {
    private long[] values = new long[256];
    private int size;

    void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    int count() {
      return size;
    }

    /** The nearest-rank quantile: the smallest sample with at least {@code q} of them at or below it. */
    double ms(double q) {
      if (size == 0) {
        throw new IllegalStateException("no samples");
      }
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(q * size);
      return sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e6;
    }

    JsonObject toJson() {
      return new JsonObject().put("unit", "ms").put("samples", size)
          .put("min", round(ms(0))).put("p50", round(ms(0.5))).put("p99", round(ms(0.99))).put("max", round(ms(1.0)));
    }

    @Override
    public String toString() {
      return "min " + num(ms(0)) + "  p50 " + num(ms(0.5)) + "  p99 " + num(ms(0.99)) + "  max " + num(ms(1.0)) + " ms  (" + size + " samples)";
    }
  }

  /** One value per repeated run (a rate, a duration), reported as min, median and max. */
  static final class Runs {
    private final String unit;
    private final List<Double> values = new ArrayList<>();

    Runs(String unit) {
      this.unit = unit;
    }

    void add(double value) {
      values.add(value);
    }

    double median() {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
      return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    double max() {
      return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    JsonObject toJson() {
      JsonArray each = new JsonArray();
      values.forEach(v -> each.add(round(v)));
      return new JsonObject().put("unit", unit).put("runs", values.size())
          .put("min", round(min())).put("median", round(median())).put("max", round(max())).put("each", each);
    }

    @Override
    public String toString() {
      return "min " + num(min()) + "  median " + num(median()) + "  max " + num(max()) + " " + unit + "  (" + values.size() + " runs)";
    }
  }

  /** Three significant digits, thousands grouped: 0.0612, 4.27, 7,733. */
  static String num(double value) {
    if (Math.abs(value) >= 1000) {
      return String.format("%,.0f", value);
    }
    if (value == 0) {
      return "0";
    }
    return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** Four significant digits are more than any of these measurements can support. */
  static double round(double value) {
    if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      return value;
    }
    double scale = Math.pow(10, 3 - (int) Math.floor(Math.log10(Math.abs(value))));
    return Math.round(value * scale) / scale;
  }
}
