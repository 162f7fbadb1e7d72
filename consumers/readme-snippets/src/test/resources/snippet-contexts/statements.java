// A README snippet of statements, compiled as the body of a method. Imports are single-type on
// purpose: a name two packages share would make a wildcard import ambiguous.
package io.kosmos.metrics.readme;

import static io.kosmos.metrics.test.KosmosAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.AgentTask;
import io.kosmos.metrics.core.AgentTasks;
import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.core.MetricsServer;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPriceFile;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.llm.Usage;
import io.kosmos.metrics.servlet.KosmosJettyHandler;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.metrics.servlet.KosmosMetricsServlet;
import io.kosmos.metrics.test.KosmosMetricsTesting;
import io.kosmos.metrics.test.MetricsSnapshot;
import io.kosmos.metrics.test.RegistryAssert;
import io.kosmos.metrics.vertx.KosmosMetricsHandler;
import io.kosmos.metrics.vertx.KosmosVertxMetrics;
import io.kosmos.metrics.vertx.MetricsHandler;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.ext.web.Router;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletionStage;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;

class SnippetClass extends ReadmeFixtures {

  Object snippet() throws Exception {
    if (true) {
//SNIPPET
    }
    return null;
  }
}
