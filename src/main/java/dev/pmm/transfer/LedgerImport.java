package dev.pmm.transfer;

import dev.pmm.config.ConfigKeys;
import dev.pmm.config.Setting;
import dev.pmm.ledger.ChainVerifier;
import dev.pmm.ledger.Event;
import dev.pmm.ledger.HashRule;
import dev.pmm.ledger.PyJson;
import dev.pmm.ledger.SqlQueries;
import dev.pmm.ledger.StorageFaults;
import dev.pmm.ledger.Timestamps;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * {@code pmm import}: reads a Python PMM ledger twice. The first pass checks that it is a ledger,
 * detects its hash rule, verifies its chain and counts the kinds the folds do not know; nothing is
 * written unless all of the file passed, and its ids must be ones this server can serve
 * ({@link TargetIds}). The second pass writes it as this server's ledger (ids, ts, content and meta
 * text kept, this server's {@code pmm-2025} chain computed over them; renumbered events get new ids
 * and their source id in meta) into a temporary HSQLDB next to the data dir, which is moved into
 * place only when complete. In the same pass it verifies the chain it writes and folds every
 * event into the server's caches, and leaves their checkpoints at the last event and the record of
 * that verification: the first start of the imported mind then reads no events, as a restart would not.
 */
public final class LedgerImport {

  /** The kinds the server's folds know; others are stored and shown, and counted in the report. */
  public static final Set<String> KNOWN_KINDS = Set.of("user_message", "assistant_message", "user", "response",
      "identity_adopt", "identity_change", "identity_clear", "trait_update", "commitment_open", "commitment_close",
      "commitment_expire", "commitment_snooze", "evidence_candidate", "reflection", "autonomy_tick", "stage_update",
      "invariant_violation");

  static final int BATCH = 1000;
  private static final int DETECT_ROWS = 16;
  private static final HashRule OWN_RULE = HashRule.PMM_2025;

  /** Import refused because the target already holds a ledger, or the source has breaks under --strict. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /** What the first pass found; {@code renumbered} when the events are to be numbered 1..N. */
  public record SourceReport(Path file, String format, HashRule rule, ChainVerifier verifier,
                             Map<String, Long> unknownKinds, boolean renumbered) {
    public long events() {
      return verifier.events();
    }

    /** The verify report of the source plus format, source file and unknown kinds. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>(verifier.report());
      map.put("format", format);
      map.put("source", file.getFileName().toString());
      map.put("unknown_kinds", new LinkedHashMap<>(unknownKinds));
      map.put("renumbered", renumbered);
      return map;
    }
  }

  private LedgerImport() {}

  /**
   * The first pass: reads the whole source, writes nothing. With {@code renumber} the events are to
   * be numbered 1..N in source order; without it their ids must already be.
   */
  public static SourceReport analyse(Path file, boolean renumber) throws IOException, NotALedger {
    try (LedgerSource source = LedgerSource.open(file)) {
      TargetIds ids = new TargetIds(renumber);
      List<SourceRow> head = new ArrayList<>(DETECT_ROWS);
      SourceRow row;
      while (head.size() < DETECT_ROWS && (row = source.next()) != null) {
        ids.next(row);
        head.add(row);
      }
      HashRule rule = detect(head);
      ChainVerifier verifier = new ChainVerifier(rule);
      Map<String, Long> unknown = new TreeMap<>();
      for (SourceRow r : head) {
        accept(verifier, unknown, r);
      }
      while ((row = source.next()) != null) {
        ids.next(row);
        accept(verifier, unknown, row);
      }
      return new SourceReport(file, source.format(), rule, verifier, unknown, renumber);
    }
  }

  /** The rule under which the first event whose hash recomputes under either rule recomputes; pmm-2025 when none does. */
  static HashRule detect(List<SourceRow> head) {
    for (SourceRow r : head) {
      for (HashRule rule : List.of(HashRule.PMM_2025, HashRule.PMM_V1)) {
        if (rule.hash(r.id(), r.ts(), r.kind(), r.content(), r.meta(), r.prevHash()).equals(r.hash())) {
          return rule;
        }
      }
    }
    return HashRule.PMM_2025;
  }

  private static void accept(ChainVerifier verifier, Map<String, Long> unknown, SourceRow r) {
    verifier.accept(r.id(), r.ts(), r.kind(), r.content(), r.meta(), r.prevHash(), r.hash());
    if (!KNOWN_KINDS.contains(r.kind())) {
      unknown.merge(r.kind(), 1L, Long::sum);
    }
  }

  /**
   * Refuses a target that holds events, or that a running server holds (HSQLDB's lock). Counting
   * opens the ledger read-only, so a refused target's files are not touched; only an empty ledger,
   * which the import replaces, is opened for writing (to take its lock).
   */
  public static void checkTargetEmpty(JsonObject config) throws IOException, Refused {
    if (TargetLedger.usesDataDir(config)) {
      Path dir = dataDir(config);
      if (!Files.exists(dir.resolve("pmm.properties")) && !Files.exists(dir.resolve("pmm.script"))) {
        return;
      }
    }
    for (boolean readOnly : new boolean[] {true, false}) {
      Connection c;
      try {
        c = TargetLedger.open(TargetLedger.url(config) + ";ifexists=true" + (readOnly ? ";readonly=true" : ""));
      } catch (IOException e) {
        if (e.getMessage().startsWith("there is no ledger")) {
          return;
        }
        throw e;
      }
      try {
        long events = TargetLedger.countEvents(c);
        if (events > 0) {
          throw new Refused("the target ledger " + TargetLedger.url(config) + " is not empty (" + events
              + " events); import only into an empty data dir, with the server stopped");
        }
      } catch (SQLException e) {
        throw new IOException("cannot read the target ledger: " + e.getMessage(), e);
      } finally {
        // Read-only, SHUTDOWN writes nothing; it closes the in-process database so the next open sees the files.
        TargetLedger.shutdown(c);
      }
    }
  }

  /**
   * The second pass: writes the source as this server's ledger, with the import record. The
   * source must have passed {@link #analyse}. Returns the events written.
   */
  public static long write(SourceReport report, JsonObject config, LongConsumer progress)
      throws IOException, NotALedger {
    if (!TargetLedger.usesDataDir(config)) {
      try (Connection c = TargetLedger.open(TargetLedger.url(config))) {
        return writeInto(c, report, config, progress).events();
      } catch (SQLException e) {
        throw new IOException("writing the ledger failed: " + StorageFaults.describe(e), e);
      }
    }
    Path dir = dataDir(config);
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".import-");
    try {
      WrittenChain chain;
      String url = TargetLedger.url(config.copy().put(ConfigKeys.DATA_DIR, tmp.toString()));
      Connection c = TargetLedger.open(url);
      try {
        chain = writeInto(c, report, config, progress);
      } catch (SQLException e) {
        throw new IOException("writing the ledger failed: " + StorageFaults.describe(e), e);
      } finally {
        TargetLedger.shutdown(c);
      }
      // Read back from the files: HSQLDB lets a commit succeed when it could not write its log.
      Connection check = TargetLedger.open(url + ";ifexists=true");
      try {
        long stored = TargetLedger.countEvents(check);
        if (stored != chain.events()) {
          throw new IOException("writing the ledger failed: only " + stored + " of " + chain.events()
              + " events reached the disk (is it full?)");
        }
        chain.checkStoredHead(check);
      } catch (SQLException e) {
        throw new IOException("reading the written ledger back failed: " + StorageFaults.describe(e), e);
      } finally {
        TargetLedger.shutdown(check);
      }
      moveInto(tmp, dir);
      return chain.events();
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * Writes the events and, in the transaction of the last ones, the caches' checkpoints at the last
   * event, the verification of the chain written and the import record. Returns the chain written.
   */
  private static WrittenChain writeInto(Connection c, SourceReport report, JsonObject config, LongConsumer progress)
      throws SQLException, IOException, NotALedger {
    c.setAutoCommit(true);
    for (String ddl : SqlQueries.SCHEMA) {
      c.createStatement().execute(ddl);
    }
    if (TargetLedger.countEvents(c) > 0) {
      throw new IOException("the target ledger is not empty");
    }
    c.setAutoCommit(false);
    long written = 0;
    String prev = null;
    // Checked again: the source may have changed since the first pass.
    TargetIds ids = new TargetIds(report.renumbered());
    WrittenChain chain = new WrittenChain();
    ImportedCaches caches = ImportedCaches.configured(config);
    try (LedgerSource source = LedgerSource.open(report.file());
         PreparedStatement insert = c.prepareStatement(SqlQueries.INSERT_EVENT)) {
      SourceRow r;
      int inBatch = 0;
      while ((r = source.next()) != null) {
        long id = ids.next(r);
        String metaText = report.renumbered() ? TargetIds.metaWithSourceId(r.metaText(), r.id()) : r.metaText();
        // Hashed as verify will read it back: parsed from the stored text.
        Map<String, Object> meta = report.renumbered() ? metaObject(metaText) : r.meta();
        String hash = OWN_RULE.hash(id, r.ts(), r.kind(), r.content(), meta, prev);
        insert.setLong(1, id);
        insert.setString(2, r.ts());
        insert.setString(3, r.kind());
        insert.setString(4, r.content());
        insert.setString(5, metaText);
        insert.setString(6, prev);
        insert.setString(7, hash);
        insert.addBatch();
        chain.accept(id, r.ts(), r.kind(), r.content(), metaText, prev, hash);
        // The event as the caches will read it back: the stored id, and meta parsed from the stored text.
        caches.fold(new Event(id, r.ts(), r.kind(), r.content(), meta, prev, hash));
        prev = hash;
        written++;
        if (++inBatch == BATCH) {
          insert.executeBatch();
          c.commit();
          inBatch = 0;
          progress.accept(written);
        }
      }
      if (inBatch > 0) {
        insert.executeBatch();
      }
      if (written != report.events()) {
        throw new IOException("the source changed while importing: " + written + " events now, " + report.events() + " before");
      }
      if (written > 0) {
        caches.writeCheckpoints(c, chain.lastId(), chain.lastHash());
        chain.record(c);
      }
      try (PreparedStatement record = c.prepareStatement(SqlQueries.IMPORT_INSERT)) {
        record.setString(1, report.file().getFileName().toString());
        record.setString(2, report.format());
        record.setString(3, report.rule().ruleName());
        record.setLong(4, written);
        record.setString(5, PyJson.dumps(report.toMap().get("breaks")));
        record.setString(6, PyJson.dumps(report.toMap().get("unknown_kinds")));
        record.setLong(7, (Long) report.toMap().get("break_count"));
        record.setString(8, Timestamps.isoformat(Instant.now()));
        record.executeUpdate();
      }
      c.commit();
      progress.accept(written);
      return chain;
    } catch (SQLException | IOException | NotALedger | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metaObject(String metaText) {
    return (Map<String, Object>) PyJson.parse(metaText);
  }

  private static void moveInto(Path tmp, Path dir) throws IOException {
    Files.createDirectories(dir);
    // An empty ledger may have left its files (checked empty before): they give way to the import.
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "pmm.*")) {
      for (Path p : old) {
        deleteTree(p);
      }
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> made = Files.newDirectoryStream(tmp)) {
      made.forEach(entries::add);
    }
    // The script (HSQLDB's catalogue) last, so that a half-moved ledger is never taken for a whole one.
    entries.sort(Comparator.comparing(p -> p.getFileName().toString().endsWith(".script")));
    for (Path p : entries) {
      Files.move(p, dir.resolve(p.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  static Path dataDir(JsonObject config) {
    return Path.of(Setting.DATA_DIR.stringIn(config)).toAbsolutePath().normalize();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
