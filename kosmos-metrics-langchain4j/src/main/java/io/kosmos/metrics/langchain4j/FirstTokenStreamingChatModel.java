package io.kosmos.metrics.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.kosmos.metrics.llm.ErrorType;
import io.kosmos.metrics.llm.LlmCall;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A streaming model whose handler marks the first token on the call that the listener started.
 * LangChain4j calls the listener's {@code onRequest} on the calling thread inside {@code chat},
 * before the request is sent, so a thread-local handed over for the length of that call links the
 * two without touching the request.
 */
final class FirstTokenStreamingChatModel implements StreamingChatModel {

  private static final ThreadLocal<Slot> PENDING = new ThreadLocal<>();

  private final StreamingChatModel delegate;

  FirstTokenStreamingChatModel(StreamingChatModel delegate) {
    this.delegate = delegate;
  }

  /** Called by the listener: hands {@code call} to the chat in progress on this thread, if any. */
  static void link(LlmCall call) {
    Slot slot = PENDING.get();
    if (slot != null && slot.call == null) {
      slot.call = call;
    }
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    chat(request, null, handler);
  }

  @Override
  public void chat(
      ChatRequest request,
      @Nullable ChatRequestOptions options,
      StreamingChatResponseHandler handler) {
    Slot slot = new Slot();
    Slot outer = PENDING.get();
    PENDING.set(slot);
    try {
      if (options == null) {
        delegate.chat(request, new Handler(handler, slot));
      } else {
        delegate.chat(request, options, new Handler(handler, slot));
      }
    } finally {
      if (outer == null) {
        PENDING.remove();
      } else {
        PENDING.set(outer);
      }
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return delegate.listeners();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  private static final class Slot {
    volatile @Nullable LlmCall call;

    void firstToken() {
      LlmCall current = call;
      if (current != null) {
        current.firstToken();
      }
    }

    void cancelled() {
      LlmCall current = call;
      if (current != null) {
        current.failed(ErrorType.OTHER);
        current.close();
      }
    }
  }

  /** Forwards everything to the application's handler, noting the first token on the way. */
  private static final class Handler implements StreamingChatResponseHandler {
    private final StreamingChatResponseHandler delegate;
    private final Slot slot;

    Handler(StreamingChatResponseHandler delegate, Slot slot) {
      this.delegate = delegate;
      this.slot = slot;
    }

    @Override
    public void onPartialResponse(String partialResponse) {
      slot.firstToken();
      delegate.onPartialResponse(partialResponse);
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
      slot.firstToken();
      try {
        delegate.onPartialResponse(partialResponse, context);
      } finally {
        if (context.streamingHandle().isCancelled()) {
          // No completion or error will follow a cancelled stream: record it now.
          slot.cancelled();
        }
      }
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
      slot.firstToken();
      delegate.onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
      slot.firstToken();
      delegate.onPartialThinking(partialThinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
      slot.firstToken();
      delegate.onPartialToolCall(partialToolCall);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
      slot.firstToken();
      delegate.onPartialToolCall(partialToolCall, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
      delegate.onCompleteToolCall(completeToolCall);
    }

    @Override
    public void onUnmappedRawEvent(Object event) {
      delegate.onUnmappedRawEvent(event);
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      delegate.onCompleteResponse(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      delegate.onError(error);
    }
  }
}
