package dev.pmm.faults;

import dev.pmm.support.OnContext;
import dev.pmm.support.TestLedger;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.pmm.support.TestLedger.await;

/** `pmm serve` as a separate JVM (as crash/CrashTest runs it), and plain HTTP to it. */
final class ChildServer implements AutoCloseable {

  record Reply(int status, JsonObject body) {}

  private final Process process;
  private final int port;
  private final Path log;
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  // In a field: an unreferenced client can be closed by the garbage collector mid-handshake.
  private final WebSocketClient wsClient = vertx.createWebSocketClient();

  private ChildServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts `pmm serve --data dataDir` on a free port with these environment overrides; its output goes to {@code log}. */
  static ChildServer start(Path dataDir, Path log, Map<String, String> env) throws IOException {
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.pmm.cli.Pmm", "serve", "--port", String.valueOf(port), "--data", dataDir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("PMM_MEMORY_EMBEDDER", "hash");
    builder.environment().put("PMM_MODEL_OFFLINE_TOKEN_DELAY_MS", "0");
    builder.environment().put("PMM_TICK_INTERVAL_MS", "0");
    // The tests send turns as fast as the server answers them, from one address.
    builder.environment().put("PMM_WEB_TURNS_PER_MINUTE", "0");
    builder.environment().putAll(env);
    Process process = builder.start();
    // Not left running if this JVM ends first.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    return new ChildServer(process, port, log);
  }

  /** Waits until /health answers (any status): the server is serving. */
  void awaitServing() {
    try {
      awaitHealth();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the server's output:\n" + output(), e);
    }
  }

  private void awaitHealth() {
    TestLedger.eventually(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("the server exited with " + process.exitValue() + ": " + output());
      }
      try {
        // The server listens before its caches are ready, and says STARTING until they are.
        return !"STARTING".equals(get("/health").body().getString("status"));
      } catch (AssertionError e) {
        return false;
      }
    });
  }

  Reply get(String path) {
    return OnContext.await(vertx, () -> client.request(options(HttpMethod.GET, path)).compose(req -> req.send())
        .compose(res -> res.body().map(body -> new Reply(res.statusCode(), body.toJsonObject()))));
  }

  Reply chat(String text) {
    return OnContext.await(vertx, () -> client.request(options(HttpMethod.POST, "/api/chat"))
        .compose(req -> req.putHeader("Content-Type", "application/json")
            .send(Buffer.buffer(new JsonObject().put("text", text).encode())))
        .compose(res -> res.body().map(body -> new Reply(res.statusCode(), body.toJsonObject()))));
  }

  /** With a timeout, so that a request the server never answers fails rather than waits. */
  private RequestOptions options(HttpMethod method, String path) {
    return new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path).setIdleTimeout(15_000);
  }

  /** One chat over /ws: the frame that ends it for this client (turn_done or error). */
  JsonObject wsChat(String id, String text) {
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    WebSocket ws = connectWebSocket(frames);
    try {
      ws.writeTextMessage(new JsonObject().put("type", "chat").put("id", id).put("text", text).encode());
      Predicate<JsonObject> end = f -> id.equals(f.getValue("id")) && List.of("turn_done", "error").contains(f.getString("type"));
      TestLedger.eventually(() -> frames.stream().anyMatch(end));
      return frames.stream().filter(end).findFirst().orElseThrow();
    } finally {
      await(ws.close());
    }
  }

  private WebSocket connectWebSocket(List<JsonObject> frames) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    options.setIdleTimeout(15_000);
    // The handler is set on the event loop as the connection completes, so no early frame is missed.
    return OnContext.await(vertx, () -> wsClient.connect(options).map(socket -> {
      socket.textMessageHandler(frame -> frames.add(new JsonObject(frame)));
      return socket;
    }));
  }

  /** The ledger component of /health. */
  JsonObject ledgerHealth() {
    return get("/health").body().getJsonObject("components").getJsonObject("ledger");
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: nothing of the server's own shutdown runs, so what is on disk is what survives a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
    await(vertx.close());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Runs `pmm serve` to its end (it should fail to start): its exit code and output. */
  static Reply serveUntilExit(Path dataDir, Path log) throws IOException, InterruptedException {
    try (ChildServer server = start(dataDir, log, Map.of())) {
      if (!server.process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("pmm serve is still running: " + server.output());
      }
      return new Reply(server.process.exitValue(), new JsonObject().put("output", server.output()));
    }
  }
}
