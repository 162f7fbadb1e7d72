package io.kosmos.metrics.openai;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmStream;
import io.kosmos.metrics.llm.Usage;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A streamed completion that reports to its {@link LlmCall} as the application reads it: first
 * token, usage, the end of the stream, and closing.
 */
final class TrackedChunks implements StreamResponse<ChatCompletionChunk> {

  private final StreamResponse<ChatCompletionChunk> delegate;
  private final LlmCall call;
  private final LlmStream<ChatCompletionChunk> tracked;

  TrackedChunks(StreamResponse<ChatCompletionChunk> delegate, LlmCall call) {
    this.delegate = delegate;
    this.call = call;
    this.tracked = LlmStream.of(call, this::observe);
  }

  @Override
  public Stream<ChatCompletionChunk> stream() {
    Iterator<ChatCompletionChunk> items;
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

  private void observe(ChatCompletionChunk chunk) {
    try {
      Usage usage = OpenAiUsage.of(chunk);
      if (usage != null) {
        call.usage(usage);
      }
      List<ChatCompletionChunk.Choice> choices = chunk.choices();
      for (int i = 0; i < choices.size(); i++) {
        ChatCompletionChunk.Choice.Delta delta = choices.get(i).delta();
        if (!delta.content().orElse("").isEmpty()
            || !delta.refusal().orElse("").isEmpty()
            || delta.toolCalls().map(calls -> !calls.isEmpty()).orElse(false)) {
          call.firstToken();
          return;
        }
      }
    } catch (RuntimeException e) {
      // A chunk the SDK cannot read is the application's concern when it reads it; the
      // tracking just skips it.
    }
  }
}
