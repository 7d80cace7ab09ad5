package dev.pmm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;

/**
 * Vert.x's own metrics (HTTP, event bus, pools) and the turn and tick latency histograms, in one
 * Prometheus registry that /metrics scrapes. Without it (tests, the command line) timings are simply
 * not recorded.
 */
public final class Telemetry {
  private Telemetry() {}

  /** A Vert.x instance whose metrics go to a Prometheus registry. */
  public static Vertx vertxWithMetrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /** The Prometheus text of Vert.x's registry, or "" when metrics are off. */
  public static String scrape() {
    return BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry p ? p.scrape() : "";
  }

  /** Records a duration in a histogram named {@code name} (seconds), when metrics are on. */
  public static void record(String name, String description, long nanos) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Timer.builder(name).description(description).publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
          .register(registry).record(Duration.ofNanos(nanos));
    }
  }
}
