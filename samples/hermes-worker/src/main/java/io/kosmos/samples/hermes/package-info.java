/** Sample agent "hermes": a worker without a web framework, scraped on its own /metrics server. */
@NullMarked
package io.kosmos.samples.hermes;

import org.jspecify.annotations.NullMarked;
