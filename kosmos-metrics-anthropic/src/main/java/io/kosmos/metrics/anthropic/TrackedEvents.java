package io.kosmos.metrics.anthropic;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.OutputTokensDetails;
import com.anthropic.models.messages.RawContentBlockDelta;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Usage;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmStream;
import io.kosmos.metrics.llm.ProviderUsage;
import java.util.Iterator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A streamed message that reports to its {@link LlmCall} as the application reads it. The usage is
 * assembled over the stream because {@code message_delta} may carry only the output tokens.
 */
final class TrackedEvents implements StreamResponse<RawMessageStreamEvent> {

  private final StreamResponse<RawMessageStreamEvent> delegate;
  private final LlmCall call;
  private final LlmStream<RawMessageStreamEvent> tracked;
  private boolean started;
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;
  private long cacheWrite1h;
  private @Nullable String serviceTier;
  private long thinking;

  TrackedEvents(StreamResponse<RawMessageStreamEvent> delegate, LlmCall call) {
    this.delegate = delegate;
    this.call = call;
    this.tracked = LlmStream.of(call, this::observe);
  }

  @Override
  public Stream<RawMessageStreamEvent> stream() {
    Iterator<RawMessageStreamEvent> items;
    try {
      items = delegate.stream().iterator();
    } catch (RuntimeException e) {
      tracked.failedToOpen(e);
      throw e;
    }
    return tracked.stream(items);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      tracked.close();
    }
  }

  private void observe(RawMessageStreamEvent event) {
    try {
      if (event.isContentBlockDelta()) {
        RawContentBlockDelta delta = event.asContentBlockDelta().delta();
        if ((delta.isText() && !delta.asText().text().isEmpty())
            || (delta.isThinking() && !delta.asThinking().thinking().isEmpty())
            || (delta.isInputJson() && !delta.asInputJson().partialJson().isEmpty())) {
          call.firstToken();
        }
      } else if (event.isMessageStart()) {
        Usage usage = event.asMessageStart().message().usage();
        started = true;
        input = usage.inputTokens();
        output = usage.outputTokens();
        cacheRead = usage.cacheReadInputTokens().orElse(0L);
        cacheWrite = usage.cacheCreationInputTokens().orElse(0L);
        // Only message_start splits the writes by lifetime and names the tier.
        cacheWrite1h = AnthropicUsage.cacheWrite1h(usage);
        serviceTier = AnthropicUsage.serviceTier(usage);
        OutputTokensDetails details = usage.outputTokensDetails().orElse(null);
        thinking = details == null ? 0 : details.thinkingTokens();
        report();
      } else if (event.isMessageDelta()) {
        MessageDeltaUsage usage = event.asMessageDelta().usage();
        // Counts are cumulative; those left out keep their message_start value.
        input = usage.inputTokens().orElse(input);
        cacheRead = usage.cacheReadInputTokens().orElse(cacheRead);
        cacheWrite = usage.cacheCreationInputTokens().orElse(cacheWrite);
        output = usage.outputTokens();
        OutputTokensDetails details = usage.outputTokensDetails().orElse(null);
        thinking = details == null ? thinking : details.thinkingTokens();
        started = true;
        report();
      }
    } catch (RuntimeException e) {
      // An event the SDK cannot read is the application's concern when it reads it; the
      // tracking just skips it.
    }
  }

  private void report() {
    if (started) {
      call.usage(
          ProviderUsage.anthropic(input, output, cacheRead, cacheWrite, cacheWrite1h)
              .withReasoning(thinking)
              .withServiceTier(serviceTier));
    }
  }
}
