/**
 * Servlet instrumentation for KOSMOS agents: {@link io.kosmos.metrics.servlet.KosmosMetricsFilter}
 * counts, times and labels every request of a Jakarta Servlet 6 application (Jetty 12, Tomcat 11,
 * Spring Boot 3), including async requests and requests whose handler throws, and {@link
 * io.kosmos.metrics.servlet.KosmosMetricsFilter.Builder#install} also serves the registry on {@code
 * /metrics} through client_java's {@code PrometheusMetricsServlet}. In embedded Jetty 12.1 (ee11),
 * {@link io.kosmos.metrics.servlet.KosmosJettyHandler} records the same from a Jetty handler inside
 * the servlet context, for a fraction of a filter's cost; it needs {@code jetty-ee11-servlet},
 * which this module declares optional.
 *
 * <p>Recording never throws into the application and never changes its responses or exceptions.
 */
@NullMarked
package io.kosmos.metrics.servlet;

import org.jspecify.annotations.NullMarked;
