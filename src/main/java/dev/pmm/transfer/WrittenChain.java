package dev.pmm.transfer;

import dev.pmm.ledger.ChainVerifier;
import dev.pmm.ledger.HashRule;
import dev.pmm.ledger.SqlQueries;
import dev.pmm.ledger.Timestamps;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;

/**
 * Verifies the chain the import writes, each row exactly as it is handed to the INSERT and by the
 * same call {@code pmm verify} makes on a stored row (the meta text parsed again, every hash
 * recomputed, every link followed), and records that verification, so that the server need not
 * verify again what the import did. That the rows reached the files is checked afterwards by
 * reading the written ledger's head back ({@link #checkStoredHead}).
 */
final class WrittenChain {

  private static final String SOURCE = "import";

  private final ChainVerifier verifier = new ChainVerifier(HashRule.PMM_2025);
  private final String startedTs = Timestamps.isoformat(Instant.now());
  private long lastId;
  private String lastHash;

  void accept(long id, String ts, String kind, String content, String metaText, String prevHash, String hash) {
    verifier.accept(id, ts, kind, content, metaText, prevHash, hash);
    lastId = id;
    lastHash = hash;
  }

  long events() {
    return verifier.events();
  }

  long lastId() {
    return lastId;
  }

  String lastHash() {
    return lastHash;
  }

  /**
   * Records the verification in the caller's transaction. A chain of the import's own making that
   * does not verify is a fault of the import: refused, so that it is never moved into place.
   */
  void record(Connection c) throws SQLException, IOException {
    if (!verifier.ok()) {
      ChainVerifier.Break first = verifier.breaks().get(0);
      throw new IOException("writing the ledger failed: the chain written does not verify at event " + first.id()
          + " (" + first.reason() + ": " + first.detail() + ")");
    }
    try (PreparedStatement insert = c.prepareStatement(SqlQueries.VERIFICATION_INSERT)) {
      insert.setString(1, SOURCE);
      insert.setLong(2, lastId);
      insert.setString(3, lastHash);
      // Only an intact chain gets here: ok, no break, no first break.
      insert.setBoolean(4, true);
      insert.setLong(5, 0);
      insert.setNull(6, Types.VARCHAR);
      insert.setString(7, startedTs);
      insert.setString(8, Timestamps.isoformat(Instant.now()));
      insert.executeUpdate();
    }
  }

  /** Refuses a written ledger whose head, read back from its files, is not the last event verified here. */
  void checkStoredHead(Connection c) throws SQLException, IOException {
    try (PreparedStatement head = c.prepareStatement(SqlQueries.LAST_EVENT); ResultSet rs = head.executeQuery()) {
      long storedId = rs.next() ? rs.getLong(1) : 0;
      String storedHash = storedId == 0 ? null : rs.getString(2);
      if (storedId != lastId || !Objects.equals(storedHash, lastHash)) {
        throw new IOException("writing the ledger failed: its last event reads back as " + storedId + " (" + storedHash
            + "), not the " + lastId + " (" + lastHash + ") written and verified");
      }
    }
  }
}
