package dev.pmm.cli;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** What the numbers were measured on, and the process's own memory, read from /proc where there is one. */
final class BenchMachine {
  private BenchMachine() {}

  static JsonObject describe() {
    return new JsonObject()
        .put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString())
        .put("cpu", cpuModel())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memory_mb", procKb(Path.of("/proc/meminfo"), "MemTotal") == null ? null : procKb(Path.of("/proc/meminfo"), "MemTotal") / 1024)
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
  }

  /** The 1, 5 and 15 minute load averages, or null off Linux: a busy host shows here first. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A "Name:  123 kB" line of /proc/self/status (VmRSS, VmHWM), or null off Linux. */
  static Long procStatusKb(String name) {
    return procKb(Path.of("/proc/self/status"), name);
  }

  private static Long procKb(Path file, String name) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(name + ":")) {
          return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      return lines.stream().filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(System.getProperty("os.arch"));
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }
}
