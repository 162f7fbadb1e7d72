/**
 * What the sample agents share: an OpenAI-compatible chat client, an embedded fake provider for
 * offline demos and their environment settings.
 */
@NullMarked
package io.kosmos.samples.support;

import org.jspecify.annotations.NullMarked;
