package io.kosmos.metrics.anthropic;

import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.OutputTokensDetails;
import com.anthropic.models.messages.RawContentBlockDelta;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Usage;
import io.kosmos.metrics.llm.ErrorType;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.ProviderUsage;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A streamed message that reports to its {@link LlmCall} as the application reads it. The usage is
 * assembled over the stream because {@code message_delta} may carry only the output tokens.
 */
final class TrackedEvents implements StreamResponse<RawMessageStreamEvent> {

  private final StreamResponse<RawMessageStreamEvent> delegate;
  private final LlmCall call;
  private volatile boolean completed;
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
  }

  @Override
  public Stream<RawMessageStreamEvent> stream() {
    Iterator<RawMessageStreamEvent> events;
    try {
      events = delegate.stream().iterator();
    } catch (RuntimeException e) {
      call.failed(e);
      call.close();
      throw e;
    }
    return StreamSupport.stream(new Events(events), false);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      if (!completed) {
        // Abandoned before its end: an error even if a usage was already reported, which is
        // still recorded (the provider bills what it produced).
        call.failed(ErrorType.OTHER);
      }
      call.close();
    }
  }

  private final class Events extends Spliterators.AbstractSpliterator<RawMessageStreamEvent> {
    private final Iterator<RawMessageStreamEvent> events;

    Events(Iterator<RawMessageStreamEvent> events) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.events = events;
    }

    @Override
    public boolean tryAdvance(Consumer<? super RawMessageStreamEvent> action) {
      RawMessageStreamEvent event;
      try {
        if (!events.hasNext()) {
          completed = true;
          call.success();
          call.close();
          return false;
        }
        event = events.next();
      } catch (RuntimeException e) {
        call.failed(e);
        call.close();
        throw e;
      }
      observe(event);
      action.accept(event);
      return true;
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
