/** The API gateway sample: a Spring Boot app in front of the three agents. */
@NullMarked
package io.kosmos.samples.gateway;

import org.jspecify.annotations.NullMarked;
