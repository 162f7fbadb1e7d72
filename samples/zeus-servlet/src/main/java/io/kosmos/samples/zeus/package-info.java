/** Sample agent "zeus": an embedded Jetty 12 service recorded by the kosmos-metrics filter. */
@NullMarked
package io.kosmos.samples.zeus;

import org.jspecify.annotations.NullMarked;
