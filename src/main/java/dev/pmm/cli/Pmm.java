package dev.pmm.cli;

import dev.pmm.Addresses;
import dev.pmm.PmmServer;
import dev.pmm.config.ConfigKeys;
import dev.pmm.config.PmmConfig;
import dev.pmm.config.Setting;
import dev.pmm.ledger.LedgerVerticle;
import dev.pmm.Telemetry;
import dev.pmm.transfer.LedgerExport;
import dev.pmm.transfer.LedgerImport;
import dev.pmm.transfer.NotALedger;
import dev.pmm.transfer.UnservableSource;
import dev.pmm.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The command line: {@code pmm serve | verify | snapshot | replay | bench | import | export}. */
public final class Pmm {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String USAGE_TEXT = String.join("\n",
      "usage:",
      "  pmm serve    [--host 127.0.0.1] [--port 8080] [--data ./data] [--config FILE] [--KEY VALUE]...",
      "  pmm verify   [--data DIR] [--json]          exit 0 = intact, 1 = broken, 2 = usage/IO error",
      "  pmm snapshot [--data DIR]                   prints the snapshot JSON",
      "  pmm replay   [--data DIR]                   full replay, compared with the checkpointed state",
      "  pmm bench    [--events 10000,100000] [--out FILE] [--markdown FILE]   (BENCHMARKS.md)",
      "  pmm import   FILE [--data DIR] [--json] [--strict] [--renumber]   into an empty data dir; exit 1 = refused under --strict",
      "  pmm export   [--data DIR] [--out FILE]               the PMM JSON export (stdout without --out)",
      "serve, verify, snapshot, replay, import and export also take --config FILE (JSON; conf/config.json when it",
      "exists) and --KEY VALUE or --KEY=VALUE for any configuration key, which the variable PMM_KEY sets too",
      "(README, \"Configuration\"): --ledger.batch.max 256 or PMM_LEDGER_BATCH_MAX=256.");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public Pmm(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    Pmm pmm = new Pmm(System.out, System.err, System.getenv());
    if (args.length > 0 && args[0].equals("serve")) {
      Args parsed;
      try {
        parsed = Args.parse(args, 1, configured("host", "port", "data"), List.of());
      } catch (Args.Invalid e) {
        System.err.println(e.getMessage() + "\n" + USAGE_TEXT);
        System.exit(USAGE);
        return;
      }
      pmm.serve(parsed);
      return;
    }
    System.exit(pmm.run(args));
  }

  /** Runs a one-shot command and returns its exit code. */
  public int run(String[] args) {
    if (args.length == 0) {
      err.println(USAGE_TEXT);
      return USAGE;
    }
    try {
      switch (args[0]) {
        case "verify":
          return verify(Args.parse(args, 1, configured("data"), List.of("json")));
        case "snapshot":
          return snapshot(Args.parse(args, 1, configured("data"), List.of()));
        case "replay":
          return replay(Args.parse(args, 1, configured("data"), List.of()));
        case "bench":
          return Bench.run(Args.parse(args, 1, List.of("events", "out", "markdown"), List.of()), out, err);
        case "import":
          return importLedger(Args.parse(args, 1, configured("data"), List.of("json", "strict", "renumber")));
        case "export":
          return exportLedger(Args.parse(args, 1, configured("data", "out"), List.of()));
        case "help":
        case "--help":
          out.println(USAGE_TEXT);
          return OK;
        default:
          err.println("unknown command: " + args[0] + "\n" + USAGE_TEXT);
          return USAGE;
      }
    } catch (Args.Invalid e) {
      err.println(e.getMessage() + "\n" + USAGE_TEXT);
      return USAGE;
    } catch (RuntimeException e) {
      err.println("pmm " + args[0] + ": " + rootMessage(e));
      return USAGE;
    }
  }

  /** A command's own options, plus --config and every configuration key. */
  private static List<String> configured(String... own) {
    List<String> names = new ArrayList<>(List.of(own));
    names.add("config");
    for (Setting setting : Setting.values()) {
      names.add(setting.key());
    }
    return names;
  }

  JsonObject config(Args args) {
    Map<String, String> commandLine = new LinkedHashMap<>();
    args.options().forEach((name, value) -> {
      if (Setting.byOption(name).isPresent()) {
        commandLine.put(name, value);
      }
    });
    Path file = args.option("config").map(Path::of).orElse(null);
    return PmmConfig.load(file, env, commandLine, warning -> err.println("pmm: warning: " + warning));
  }

  private void serve(Args args) {
    JsonObject config;
    try {
      config = config(args);
    } catch (RuntimeException e) {
      err.println("pmm serve: " + rootMessage(e));
      System.exit(USAGE);
      return;
    }
    Vertx vertx = Telemetry.vertxWithMetrics();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> await(vertx.close())));
    PmmServer.deploy(vertx, config)
        .onSuccess(web -> out.println("PMM Server listening on http://" + Setting.HTTP_HOST.stringIn(config)
            + ":" + web.port() + "/ (data: " + Setting.DATA_DIR.stringIn(config) + ")"))
        .onFailure(e -> {
          err.println("pmm serve: " + rootMessage(e));
          vertx.close().onComplete(v -> System.exit(FAILED));
        });
  }

  private int verify(Args args) {
    JsonObject config = config(args);
    return withLedger(config, false, vertx -> vertx.eventBus()
        .<JsonObject>request(Addresses.LEDGER_VERIFY, null, new DeliveryOptions().setSendTimeout(TimeUnit.HOURS.toMillis(1)))
        .map(reply -> {
          JsonObject report = reply.body();
          if (args.flag("json")) {
            out.println(report.encode());
          } else {
            out.println((report.getBoolean("ok") ? "intact" : "BROKEN") + ": " + report.getLong("events")
                + " events, hash rule " + report.getString("hash_rule"));
            report.getJsonArray("breaks").forEach(b -> {
              JsonObject br = (JsonObject) b;
              out.println("  event " + br.getLong("id") + ": " + br.getString("reason") + " (" + br.getString("detail") + ")");
            });
          }
          return report.getBoolean("ok") ? OK : FAILED;
        }));
  }

  private int snapshot(Args args) {
    return withLedger(config(args), true, vertx -> vertx.eventBus()
        .<JsonObject>request(Addresses.SNAPSHOT_GET, null)
        .map(reply -> {
          out.println(reply.body().encodePrettily());
          return OK;
        }));
  }

  private int replay(Args args) {
    JsonObject config = config(args);
    return withLedger(config, false, vertx -> new ReplayCheck(vertx, config).run().map(report -> {
      out.println(report.encodePrettily());
      return report.getBoolean("ok") ? OK : FAILED;
    }));
  }

  private int importLedger(Args args) {
    if (args.positional().size() != 1) {
      throw new Args.Invalid("pmm import takes exactly one FILE");
    }
    Path file = Path.of(args.positional().get(0));
    JsonObject config = config(args);
    LedgerImport.SourceReport report;
    try {
      if (!java.nio.file.Files.isRegularFile(file)) {
        err.println("pmm import: no such file: " + file);
        return USAGE;
      }
      report = LedgerImport.analyse(file, args.flag("renumber"));
      LedgerImport.checkTargetEmpty(config);
    } catch (LedgerImport.Refused e) {
      err.println("pmm import: refused: " + e.getMessage());
      return USAGE;
    } catch (UnservableSource e) {
      err.println("pmm import: refused, " + file + ": " + e.getMessage() + " (nothing was written)");
      return USAGE;
    } catch (NotALedger e) {
      err.println("pmm import: refused, " + file + " is not a PMM ledger: " + e.getMessage() + " (nothing was written)");
      return USAGE;
    } catch (java.io.IOException e) {
      err.println("pmm import: " + e.getMessage() + " (nothing was written)");
      return USAGE;
    }
    Map<String, Object> source = report.toMap();
    long breakCount = (Long) source.get("break_count");
    if (args.flag("strict") && breakCount > 0) {
      JsonObject json = new JsonObject(source).put("imported", 0L);
      if (args.flag("json")) {
        out.println(json.encode());
      } else {
        printSource(source);
      }
      err.println("pmm import: refused under --strict: the source chain has " + breakCount + " break(s) (nothing was written)");
      return FAILED;
    }
    long imported;
    ImportProgress progress = new ImportProgress(err, report.events());
    try {
      imported = LedgerImport.write(report, config, progress);
    } catch (NotALedger | java.io.IOException e) {
      progress.done();
      err.println("pmm import: " + e.getMessage() + " (the data dir was left as it was)");
      return USAGE;
    }
    progress.done();
    if (args.flag("json")) {
      out.println(new JsonObject(source).put("imported", imported).encode());
    } else {
      printSource(source);
      out.println("imported " + imported + " events into " + PmmConfig.jdbcUrl(config)
          + (report.renumbered() ? ", renumbered 1 to " + imported + " (each source id kept in meta as \"source_id\")" : "")
          + " (this server's pmm-2025 chain computed over them)");
    }
    return OK;
  }

  @SuppressWarnings("unchecked")
  private void printSource(Map<String, Object> source) {
    out.println("source " + source.get("source") + " (" + source.get("format") + "): " + source.get("events")
        + " events, hash rule " + source.get("hash_rule") + ", "
        + ((Boolean) source.get("ok") ? "chain intact" : source.get("break_count") + " break(s)"));
    for (Object b : (List<Object>) source.get("breaks")) {
      Map<String, Object> br = (Map<String, Object>) b;
      out.println("  event " + br.get("id") + ": " + br.get("reason") + " (" + br.get("detail") + ")");
    }
    Map<String, Long> unknown = (Map<String, Long>) source.get("unknown_kinds");
    if (!unknown.isEmpty()) {
      out.println("kinds the folds do not know (stored and shown, not folded): " + unknown);
    }
  }

  private int exportLedger(Args args) {
    if (!args.positional().isEmpty()) {
      throw new Args.Invalid("pmm export takes no FILE; use --out FILE");
    }
    JsonObject config = config(args);
    try {
      if (args.option("out").isPresent()) {
        Path target = Path.of(args.option("out").get()).toAbsolutePath();
        long n = LedgerExport.writeFile(config, target);
        err.println("exported " + n + " events to " + target);
      } else {
        LedgerExport.write(config, out);
        out.flush();
      }
      return OK;
    } catch (java.io.IOException e) {
      err.println("pmm export: " + e.getMessage());
      return USAGE;
    }
  }

  /** Runs {@code action} against the ledger of the data dir, alone or with its caches. */
  private int withLedger(JsonObject config, boolean withCaches, java.util.function.Function<Vertx, Future<Integer>> action) {
    // A one-shot command does its own reading; the server's background verification would only add to it.
    config.put(ConfigKeys.LEDGER_VERIFY_ON_START, false);
    Vertx vertx = Vertx.vertx();
    try {
      Future<?> deployed = withCaches
          ? PmmServer.deployCore(vertx, config)
          : vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(config));
      return await(deployed.compose(v -> action.apply(vertx)));
    } finally {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(rootMessage(e.getCause()), e.getCause());
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
