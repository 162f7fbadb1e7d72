/**
 * Internal plumbing shared by the kosmos-metrics modules: the per-registry metric families, the
 * self-metrics of the failure policy, bounded label sets and the exact cost ledger.
 *
 * <p><b>Not an API.</b> Types here are public only so that the servlet, Vert.x and LLM modules can
 * reach them; they may change in any release without notice. Applications use the types of {@code
 * io.kosmos.metrics.core} and the adapter modules instead.
 */
@NullMarked
package io.kosmos.metrics.core.internal;

import org.jspecify.annotations.NullMarked;
