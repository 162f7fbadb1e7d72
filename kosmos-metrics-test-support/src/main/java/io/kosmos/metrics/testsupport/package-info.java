/**
 * The behaviour contract of kosmos-metrics HTTP adapters, as an abstract JUnit test that each
 * adapter's tests extend with a real server. Test code only; not published.
 */
@NullMarked
package io.kosmos.metrics.testsupport;

import org.jspecify.annotations.NullMarked;
