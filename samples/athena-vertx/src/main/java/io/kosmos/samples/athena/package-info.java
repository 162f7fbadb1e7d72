/** Sample agent "athena": a Vert.x 5 Web service recorded by the kosmos-metrics handler. */
@NullMarked
package io.kosmos.samples.athena;

import org.jspecify.annotations.NullMarked;
