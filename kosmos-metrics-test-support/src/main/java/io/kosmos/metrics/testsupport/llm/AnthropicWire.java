package io.kosmos.metrics.testsupport.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic messages as the API sends them: JSON, SSE events and error bodies.
 *
 * <pre>{@code
 * server.reply(Reply.json(200, AnthropicWire.message("claude-sonnet-4-5", 50, 400, 1800, 600)));
 * server.reply(Reply.json(400, AnthropicWire.error(LlmFailure.CONTEXT_LENGTH_400)));
 * }</pre>
 */
public final class AnthropicWire {

  private AnthropicWire() {}

  /**
   * A message whose usage has cache reads and cache writes ({@code input} excludes both, as
   * Anthropic reports it).
   */
  public static String message(
      String model, long input, long output, long cacheRead, long cacheWrite) {
    return message(model, input, output, cacheRead, cacheWrite, 0, "standard");
  }

  /**
   * As {@link #message(String, long, long, long, long)}, {@code cacheWrite1h} of the cache writes
   * kept for one hour ({@code cache_creation.ephemeral_1h_input_tokens}) and served by {@code
   * serviceTier} ({@code "standard"}, {@code "priority"}).
   */
  public static String message(
      String model,
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      String serviceTier) {
    return "{\"id\":\"msg_fake\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + model
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":"
        + usage(input, output, cacheRead, cacheWrite, cacheWrite1h, serviceTier)
        + "}";
  }

  /** The usage object, with the 5-minute / 1-hour split of the cache writes. */
  public static String usage(long input, long output, long cacheRead, long cacheWrite) {
    return usage(input, output, cacheRead, cacheWrite, 0, "standard");
  }

  /**
   * The usage object, {@code cacheWrite1h} of the {@code cacheWrite} cache writes for one hour and
   * the rest for five minutes, served by {@code serviceTier}.
   */
  public static String usage(
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      String serviceTier) {
    return "{\"input_tokens\":"
        + input
        + ",\"cache_creation_input_tokens\":"
        + cacheWrite
        + ",\"cache_read_input_tokens\":"
        + cacheRead
        + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":"
        + (cacheWrite - cacheWrite1h)
        + ",\"ephemeral_1h_input_tokens\":"
        + cacheWrite1h
        + "},\"output_tokens\":"
        + output
        + ",\"service_tier\":\""
        + serviceTier
        + "\"}";
  }

  /**
   * The SSE events of a streamed message: {@code message_start} (input and cache usage, one output
   * token), an empty text block start, a ping, one {@code text_delta} per piece, the block stop,
   * {@code message_delta} carrying only the final {@code output_tokens}, and {@code message_stop}.
   */
  public static List<String> events(
      String model, List<String> text, long input, long output, long cacheRead, long cacheWrite) {
    return events(model, text, input, output, cacheRead, cacheWrite, 0, "standard");
  }

  /**
   * As {@link #events(String, List, long, long, long, long)}, {@code message_start} reporting
   * {@code cacheWrite1h} one-hour cache writes and {@code serviceTier}.
   */
  public static List<String> events(
      String model,
      List<String> text,
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      String serviceTier) {
    List<String> events = new ArrayList<>();
    events.add(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
            + model
            + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":"
            + usage(input, 1, cacheRead, cacheWrite, cacheWrite1h, serviceTier)
            + "}}");
    events.add(
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    events.add("event: ping\ndata: {\"type\": \"ping\"}");
    for (String piece : text) {
      events.add(
          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
              + "\"delta\":{\"type\":\"text_delta\",\"text\":\""
              + piece
              + "\"}}");
    }
    events.add("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}");
    events.add(
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
            + output
            + "}}");
    events.add("event: message_stop\ndata: {\"type\":\"message_stop\"}");
    return events;
  }

  /** The error body Anthropic sends for {@code failure}. */
  public static String error(LlmFailure failure) {
    switch (failure) {
      case RATE_LIMITED_429:
        return error(
            "rate_limit_error",
            "This request would exceed the rate limit for your organization of 50,000 input"
                + " tokens per minute.");
      case UNAUTHORIZED_401:
        return error("authentication_error", "invalid x-api-key");
      case SERVER_ERROR_500:
        return error("api_error", "Internal server error");
      case CONTEXT_LENGTH_400:
        return error("invalid_request_error", "prompt is too long: 210934 tokens > 200000 maximum");
      case INVALID_REQUEST_400:
        return error("invalid_request_error", "max_tokens: Field required");
      default:
        throw new IllegalArgumentException("no error body for " + failure);
    }
  }

  private static String error(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\""
        + type
        + "\",\"message\":\""
        + message
        + "\"},\"request_id\":\"req_fake\"}";
  }
}
