/** The Spring Boot hello world of {@code http-overhead.sh}. */
@NullMarked
package io.kosmos.metrics.benchmarks.boot;

import org.jspecify.annotations.NullMarked;
