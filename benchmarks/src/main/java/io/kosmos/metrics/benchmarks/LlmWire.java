package io.kosmos.metrics.benchmarks;

/** Provider responses the benchmarks parse once in setup. */
final class LlmWire {

  private LlmWire() {}

  static final String OPENAI_COMPLETION =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764547200,"
          + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":"
          + "{\"role\":\"assistant\",\"content\":\"Hello\",\"refusal\":null,\"annotations\":[]},"
          + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1200,"
          + "\"completion_tokens\":300,\"total_tokens\":1500,\"prompt_tokens_details\":"
          + "{\"cached_tokens\":1024,\"audio_tokens\":0},\"completion_tokens_details\":"
          + "{\"reasoning_tokens\":128,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
          + "\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\"}";

  static final String ANTHROPIC_MESSAGE =
      "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
          + "\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],"
          + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":50,"
          + "\"cache_creation_input_tokens\":600,\"cache_read_input_tokens\":1800,"
          + "\"output_tokens\":400,\"service_tier\":\"standard\"}}";
}
