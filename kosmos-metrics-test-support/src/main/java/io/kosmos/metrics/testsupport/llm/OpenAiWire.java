package io.kosmos.metrics.testsupport.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI chat completions as the API sends them: JSON, SSE chunks and error bodies.
 *
 * <pre>{@code
 * server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));
 * server.reply(Reply.sse(OpenAiWire.chunks("gpt-4o-mini", List.of("Hel", "lo"), true,
 *     1200, 300, 1024, 128)));
 * }</pre>
 */
public final class OpenAiWire {

  private OpenAiWire() {}

  /** A chat completion whose usage has cached prompt tokens and reasoning tokens. */
  public static String completion(
      String model, long prompt, long completion, long cached, long reasoning) {
    return completion(model, prompt, completion, cached, reasoning, "default");
  }

  /**
   * As {@link #completion(String, long, long, long, long)}, served by {@code serviceTier} (OpenAI's
   * {@code service_tier}: {@code "default"}, {@code "flex"}, {@code "priority"}, ...).
   */
  public static String completion(
      String model, long prompt, long completion, long cached, long reasoning, String serviceTier) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1764547200,"
        + "\"model\":\""
        + model
        + "-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Hello\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,"
        + "\"finish_reason\":\"stop\"}],\"usage\":"
        + usage(prompt, completion, cached, reasoning)
        + ",\"service_tier\":\""
        + serviceTier
        + "\",\"system_fingerprint\":\"fp_fake\"}";
  }

  /** The usage object with its details. */
  public static String usage(long prompt, long completion, long cached, long reasoning) {
    return "{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":"
        + cached
        + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":"
        + reasoning
        + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}}";
  }

  /**
   * The SSE events of a streamed completion: a role chunk with empty content, one chunk per piece
   * of {@code text}, the finish chunk, the usage chunk when {@code withUsage} (what {@code
   * stream_options.include_usage} asks for) and {@code [DONE]}.
   */
  public static List<String> chunks(
      String model,
      List<String> text,
      boolean withUsage,
      long prompt,
      long completion,
      long cached,
      long reasoning) {
    return chunks(model, text, withUsage, prompt, completion, cached, reasoning, "default");
  }

  /**
   * As {@link #chunks(String, List, boolean, long, long, long, long)}, every chunk naming {@code
   * serviceTier} as OpenAI's do.
   */
  public static List<String> chunks(
      String model,
      List<String> text,
      boolean withUsage,
      long prompt,
      long completion,
      long cached,
      long reasoning,
      String serviceTier) {
    List<String> events = new ArrayList<>();
    events.add(
        chunk(
            model,
            serviceTier,
            "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}",
            null));
    for (String piece : text) {
      events.add(chunk(model, serviceTier, "{\"content\":\"" + piece + "\"}", null));
    }
    events.add(chunk(model, serviceTier, "{}", "stop"));
    if (withUsage) {
      events.add(
          "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
              + "\"created\":1764547200,\"model\":\""
              + model
              + "-2024-07-18\",\"service_tier\":\""
              + serviceTier
              + "\",\"system_fingerprint\":\"fp_fake\","
              + "\"choices\":[],\"usage\":"
              + usage(prompt, completion, cached, reasoning)
              + "}");
    }
    events.add("data: [DONE]");
    return events;
  }

  private static String chunk(String model, String serviceTier, String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1764547200,\"model\":\""
        + model
        + "-2024-07-18\",\"service_tier\":\""
        + serviceTier
        + "\",\"system_fingerprint\":\"fp_fake\","
        + "\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + "}],\"usage\":null}";
  }

  /** The error body OpenAI sends for {@code failure}. */
  public static String error(LlmFailure failure) {
    switch (failure) {
      case RATE_LIMITED_429:
        return error(
            "Rate limit reached for gpt-4o-mini in organization org-fake on tokens per min (TPM):"
                + " Limit 200000, Used 199500, Requested 2000.",
            "tokens",
            null,
            "rate_limit_exceeded");
      case UNAUTHORIZED_401:
        return error(
            "Incorrect API key provided: sk-fake. You can find your API key at"
                + " https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            null,
            "invalid_api_key");
      case SERVER_ERROR_500:
        return error(
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            null,
            null);
      case CONTEXT_LENGTH_400:
        return error(
            "This model's maximum context length is 128000 tokens. However, your messages"
                + " resulted in 131072 tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "messages",
            "context_length_exceeded");
      case INVALID_REQUEST_400:
        return error(
            "Invalid value for 'temperature': expected a decimal between 0 and 2.",
            "invalid_request_error",
            "temperature",
            "invalid_value");
      default:
        throw new IllegalArgumentException("no error body for " + failure);
    }
  }

  private static String error(String message, String type, String param, String code) {
    return "{\"error\":{\"message\":\""
        + message
        + "\",\"type\":\""
        + type
        + "\",\"param\":"
        + (param == null ? "null" : "\"" + param + "\"")
        + ",\"code\":"
        + (code == null ? "null" : "\"" + code + "\"")
        + "}}";
  }
}
