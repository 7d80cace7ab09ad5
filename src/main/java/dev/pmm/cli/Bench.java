package dev.pmm.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pmm bench [--events 10000,100000] [--out FILE]}: for each ledger size a real server in
 * process on a fresh data dir ({@link BenchRun}), then a table of ours beside the seed's claims, the
 * Python original's measurements and the targets ({@link BenchComparison}). Times are wall
 * clock on whatever machine runs it, which is recorded with the load average before and after each
 * size; BENCHMARKS.md says what each measure is.
 */
final class Bench {

  private Bench() {}

  static int run(Args args, PrintStream out, PrintStream err) {
    List<Long> sizes = sizes(args.option("events").orElse("10000,100000"));
    Path outFile = outputFile(args, "out");
    Path markdownFile = outputFile(args, "markdown");
    JsonObject machine = BenchMachine.describe();
    out.println("machine: " + machine.getString("cpu") + ", " + machine.getInteger("cores") + " cores, "
        + machine.getLong("memory_mb") + " MB, " + machine.getString("java") + ", max heap " + machine.getLong("max_heap_mb") + " MB");
    if (machine.getLong("max_heap_mb") > 1024) {
      out.println("note: the heap may grow to " + machine.getLong("max_heap_mb") + " MB, and RSS shows what the JVM grew into, not what"
          + " the mind needs; PMM_JAVA_OPTS=-Xmx256m ./pmm bench ... caps it (BENCHMARKS.md)");
    }
    JsonArray results = new JsonArray();
    for (long size : sizes) {
      String loadBefore = BenchMachine.loadAverage();
      out.printf("%n== %,d events (load average %s)%n", size, loadBefore);
      long started = System.nanoTime();
      JsonObject measures = new BenchRun(size, out).run();
      JsonArray comparison = BenchComparison.of(size, measures);
      String loadAfter = BenchMachine.loadAverage();
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf("%n-- %,d events: ours beside the seed and the Python original (x = times better; %.0f s, load average after %s)%n",
          size, seconds, loadAfter);
      BenchComparison.print(comparison, out);
      results.add(new JsonObject().put("events", size).put("load_average_before", loadBefore)
          .put("load_average_after", loadAfter).put("seconds", Math.round(seconds))
          .put("measures", measures).put("comparison", comparison));
    }
    JsonObject report = new JsonObject().put("machine", machine).put("results", results);
    boolean written = write(outFile, report.encodePrettily(), out, err);
    written &= write(markdownFile, BenchMarkdown.render(report), out, err);
    return written ? Pmm.OK : Pmm.USAGE;
  }

  /** Checked before measuring, so a typo does not cost a long run its report. */
  private static Path outputFile(Args args, String option) {
    Path file = args.option(option).map(Path::of).orElse(null);
    if (file != null && !Files.isDirectory(file.toAbsolutePath().getParent())) {
      throw new Args.Invalid("--" + option + ": no such directory: " + file.toAbsolutePath().getParent());
    }
    return file;
  }

  private static boolean write(Path file, String text, PrintStream out, PrintStream err) {
    if (file == null) {
      return true;
    }
    try {
      Files.writeString(file, text);
      out.println("wrote " + file);
      return true;
    } catch (IOException e) {
      err.println("pmm bench: cannot write " + file + ": " + e.getMessage());
      return false;
    }
  }

  static List<Long> sizes(String option) {
    List<Long> sizes = new ArrayList<>();
    for (String part : option.split(",")) {
      try {
        long size = Long.parseLong(part.trim().replace("_", ""));
        if (size < 1_000) {
          throw new NumberFormatException();
        }
        sizes.add(size);
      } catch (NumberFormatException e) {
        throw new Args.Invalid("--events takes ledger sizes of at least 1000 separated by commas (10000,100000), got " + option);
      }
    }
    return sizes;
  }
}
