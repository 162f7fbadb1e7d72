package io.kosmos.metrics.springai;

import io.kosmos.metrics.llm.LlmMetrics;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps each {@link ChatModel} bean in a class-based proxy that tracks {@code call(Prompt)} and
 * {@code stream(Prompt)} (and the convenience overloads that lead to them), so the bean keeps its
 * concrete type ({@code OpenAiChatModel} can still be injected) and no call site changes.
 *
 * <pre>{@code
 * // registered by KosmosSpringAiAutoConfiguration; to replace it, declare your own bean:
 * @Bean
 * static ChatModelMetricsPostProcessor kosmosChatModelMetricsPostProcessor(...) { ... }
 * }</pre>
 */
public final class ChatModelMetricsPostProcessor implements BeanPostProcessor {

  private final ObjectProvider<LlmMetrics> llm;

  ChatModelMetricsPostProcessor(ObjectProvider<LlmMetrics> llm) {
    this.llm = llm;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof ChatModel)) {
      return bean;
    }
    LlmMetrics metrics = llm.getIfAvailable();
    if (metrics == null) {
      return bean;
    }
    ChatModel model = (ChatModel) bean;
    ProxyFactory factory = new ProxyFactory(bean);
    factory.setProxyTargetClass(true);
    factory.addAdvice(new ChatModelInterceptor(metrics, model));
    return factory.getProxy(bean.getClass().getClassLoader());
  }
}
