// A README snippet of class members (beans), compiled in a Spring @Configuration class.
package io.kosmos.metrics.readme;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.metrics.servlet.KosmosMetricsServlet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration
class SnippetClass extends ReadmeFixtures {
//SNIPPET
}
