package dev.pmm.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asks /health ten times a second from a thread of its own while a test attacks the server, and
 * remembers every answer that took a second or more, or never came.
 */
public final class HealthProbe implements AutoCloseable {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final URI health;
  private final Thread thread;
  private final List<String> late = new ArrayList<>();
  private volatile boolean running = true;
  private int answered;

  public HealthProbe(int port) {
    health = URI.create("http://127.0.0.1:" + port + "/health");
    // The client's first request loads and sets up its own machinery, which can take a second.
    try {
      client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      throw new AssertionError("/health did not answer at all: " + e, e);
    }
    thread = new Thread(this::run, "health-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      long started = System.nanoTime();
      String problem = null;
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          problem = "HTTP " + response.statusCode() + " " + response.body();
        }
      } catch (Exception e) {
        problem = e.toString();
      }
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      synchronized (this) {
        answered++;
        if (problem != null || tookMs >= 1000) {
          late.add(tookMs + " ms" + (problem == null ? "" : ": " + problem));
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops probing; fails unless every answer was a 200 within a second (and there were some). */
  public void assertAnsweredWithinASecond() {
    close();
    synchronized (this) {
      assertTrue(answered > 0, "/health was never asked");
      assertTrue(late.isEmpty(), "/health answered late or not at all " + late.size() + " of " + answered + " times: " + late);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
