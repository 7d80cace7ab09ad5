package dev.pmm.ledger;

import dev.pmm.config.ConfigKeys;
import dev.pmm.config.PmmConfig;
import dev.pmm.support.TestLedger;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static dev.pmm.support.TestLedger.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The log size bounds what a restart after a crash replays, so the configured one must be HSQLDB's. */
@ExtendWith(VertxExtension.class)
class LogSizeTest {

  @TempDir
  Path dataDir;

  @Test
  void theConfiguredLogSizeIsTheDatabases(Vertx vertx) throws Exception {
    JsonObject config = TestLedger.config(dataDir).put(ConfigKeys.DB_LOG_MB, 3);
    String deployment = await(vertx.deployVerticle(new LedgerVerticle(), new DeploymentOptions().setConfig(config)));
    TestLedger.append(vertx, "user_message", "hello", new JsonObject());
    await(vertx.undeploy(deployment));

    try (Connection c = DriverManager.getConnection(PmmConfig.jdbcUrl(config), "SA", "");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(
             "SELECT property_value FROM information_schema.system_properties WHERE property_name = 'hsqldb.log_size'")) {
      rs.next();
      assertEquals("3", rs.getString(1));
      st.execute(SqlQueries.SHUTDOWN);
    }
  }
}
