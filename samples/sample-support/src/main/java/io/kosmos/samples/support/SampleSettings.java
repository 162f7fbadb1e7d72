package io.kosmos.samples.support;

import io.kosmos.metrics.core.MetricsAccess;
import java.net.URI;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A sample agent's settings, read from environment variables: {@code PORT}, {@code BIND_ADDRESS},
 * {@code KOSMOS_METRICS_TOKEN}, {@code LLM_BASE_URL}, {@code LLM_API_KEY}, {@code LLM_PROVIDER},
 * {@code LLM_MODEL} and {@code LLM_PRICE_FILE}.
 *
 * <pre>{@code
 * SampleSettings settings = SampleSettings.fromEnvironment(System.getenv(), 8000);
 * }</pre>
 */
public final class SampleSettings {

  private final int port;
  private final String bindAddress;
  private final @Nullable URI llmBaseUrl;
  private final String llmApiKey;
  private final String llmProvider;
  private final String llmModel;
  private final @Nullable String llmPriceFile;
  private final MetricsAccess metricsAccess;

  private SampleSettings(Map<String, String> env, int defaultPort) {
    this.port = port(env.get("PORT"), defaultPort);
    this.bindAddress = nonBlank(env.get("BIND_ADDRESS"), "127.0.0.1");
    String baseUrl = env.get("LLM_BASE_URL");
    this.llmBaseUrl = baseUrl == null || baseUrl.isBlank() ? null : URI.create(baseUrl.strip());
    this.llmApiKey = nonBlank(env.get("LLM_API_KEY"), "none");
    this.llmProvider = nonBlank(env.get("LLM_PROVIDER"), "openai");
    this.llmModel = nonBlank(env.get("LLM_MODEL"), "gpt-4o-mini");
    String priceFile = env.get("LLM_PRICE_FILE");
    this.llmPriceFile = priceFile == null || priceFile.isBlank() ? null : priceFile.strip();
    String token = env.get("KOSMOS_METRICS_TOKEN");
    this.metricsAccess =
        token == null || token.isBlank()
            ? MetricsAccess.open()
            : MetricsAccess.bearerToken(token.strip());
  }

  /**
   * Reads the settings from {@code env}, usually {@code System.getenv()}.
   *
   * @param defaultPort the port when {@code PORT} is unset
   * @throws IllegalArgumentException when {@code PORT} is not a number from 0 to 65535
   */
  public static SampleSettings fromEnvironment(Map<String, String> env, int defaultPort) {
    return new SampleSettings(env, defaultPort);
  }

  /** {@code PORT}; 0 picks a free port. */
  public int port() {
    return port;
  }

  /**
   * {@code BIND_ADDRESS}, default {@code 127.0.0.1}: the demo is reachable from this machine only;
   * set {@code 0.0.0.0} for a Prometheus elsewhere.
   */
  public String bindAddress() {
    return bindAddress;
  }

  /** {@code LLM_BASE_URL} (ending in {@code /v1}); null starts the embedded fake provider. */
  public @Nullable URI llmBaseUrl() {
    return llmBaseUrl;
  }

  /** {@code LLM_API_KEY}, default {@code none}. */
  public String llmApiKey() {
    return llmApiKey;
  }

  /** {@code LLM_PROVIDER}, the {@code provider} label, default {@code openai}. */
  public String llmProvider() {
    return llmProvider;
  }

  /** {@code LLM_MODEL}, the model asked for and the {@code model} label, default gpt-4o-mini. */
  public String llmModel() {
    return llmModel;
  }

  /** {@code LLM_PRICE_FILE}: a LiteLLM-format price file loaded over the shipped prices. */
  public @Nullable String llmPriceFile() {
    return llmPriceFile;
  }

  /**
   * Who may read {@code /metrics}: with {@code KOSMOS_METRICS_TOKEN} set, only requests with {@code
   * Authorization: Bearer <token>}; unset, anyone.
   */
  public MetricsAccess metricsAccess() {
    return metricsAccess;
  }

  private static int port(@Nullable String value, int defaultPort) {
    if (value == null || value.isBlank()) {
      return defaultPort;
    }
    try {
      int port = Integer.parseInt(value.strip());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "PORT must be a number from 0 to 65535, but was '" + value + "'");
  }

  private static String nonBlank(@Nullable String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.strip();
  }
}
