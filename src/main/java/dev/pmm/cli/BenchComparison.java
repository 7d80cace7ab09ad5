package dev.pmm.cli;

import dev.pmm.cli.BenchReference.Better;
import dev.pmm.cli.BenchReference.Row;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;

import static dev.pmm.cli.BenchStats.num;
import static dev.pmm.cli.BenchStats.round;

/**
 * Our measures beside the Python original's, the seed's claims and the issue's targets. A ratio is
 * how many times better ours is: theirs / ours where lower is better, ours / theirs where higher is.
 */
final class BenchComparison {
  private BenchComparison() {}

  static JsonArray of(long events, JsonObject measures) {
    JsonArray rows = new JsonArray();
    for (Row row : BenchReference.ROWS) {
      JsonObject measure = measures.getJsonObject(row.measure());
      Double ours = measure == null ? null : measure.getDouble(row.stat());
      Double python = row.python(events);
      Double target = row.target(events);
      rows.add(new JsonObject()
          .put("measure", row.label())
          .put("key", row.measure() + "." + row.stat())
          .put("unit", row.unit())
          .put("ours", ours)
          .put("python", python == null ? null : round(python))
          .put("python_at_events", python == null ? null : row.pythonAt(events))
          .put("python_as_measured", row.pythonText())
          .put("ratio_python", ratio(row.better(), ours, python))
          .put("seed", row.seed())
          .put("seed_claim", row.seedText())
          .put("ratio_seed", ratio(row.better(), ours, row.seed()))
          .put("target", target)
          .put("target_is", target == null ? null : row.better() == Better.LOWER ? "<=" : ">=")
          .put("pass", target == null || ours == null ? null
              : row.better() == Better.LOWER ? ours <= target : ours >= target));
    }
    return rows;
  }

  /** Null when there is nothing to divide: no reference, or ours is 0 (no reads at all). */
  private static Double ratio(Better better, Double ours, Double theirs) {
    if (ours == null || theirs == null || ours == 0 || theirs == 0) {
      return null;
    }
    return round(better == Better.LOWER ? theirs / ours : ours / theirs);
  }

  static void print(JsonArray rows, PrintStream out) {
    String format = "%-46s %16s  %-22s %8s  %-40s %9s  %-20s %s%n";
    out.printf(format, "measure", "ours", "seed (10K)", "x seed", "Python here", "x Python", "target", "");
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      String unit = " " + r.getString("unit");
      String python = r.getDouble("python") == null ? "-"
          : num(r.getDouble("python")) + unit + " @" + r.getLong("python_at_events") / 1000 + "K"
          + (r.getString("python_as_measured") == null ? "" : " (" + r.getString("python_as_measured") + ")");
      out.printf(format, r.getString("measure"),
          r.getDouble("ours") == null ? "MISSING" : num(r.getDouble("ours")) + unit,
          r.getString("seed_claim") == null ? "-" : r.getString("seed_claim"),
          times(r.getDouble("ratio_seed")),
          python,
          times(r.getDouble("ratio_python")),
          r.getDouble("target") == null ? "-" : r.getString("target_is") + " " + num(r.getDouble("target")) + unit,
          r.getBoolean("pass") == null ? "" : r.getBoolean("pass") ? "pass" : "MISS");
    }
  }

  private static String times(Double ratio) {
    return ratio == null ? "-" : num(ratio) + "x";
  }
}
