/** JMH benchmarks of kosmos-metrics against the Prometheus client's limit and its peers. */
@NullMarked
package io.kosmos.metrics.benchmarks;

import org.jspecify.annotations.NullMarked;
