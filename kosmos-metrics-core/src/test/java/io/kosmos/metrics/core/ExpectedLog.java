package io.kosmos.metrics.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A log record a test provokes on purpose, so that {@link QuietLogs} keeps it off the console. On a
 * test method the record is required: the test fails if nothing matching was logged while it ran.
 * On a test class (for tests inherited from a contract, where only some methods provoke it) it is
 * allowed in every test of the class.
 *
 * <pre>{@code
 * @Test
 * @ExpectedLog(logger = "org.apache.catalina", level = "SEVERE", contains = "threw exception")
 * void aThrowingServletIsRecordedAs500() { ... }
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(ExpectedLogs.class)
public @interface ExpectedLog {

  /** The logger's name or a prefix of it, e.g. {@code io.kosmos.metrics}. */
  String logger();

  /** The record's level name ({@code WARNING}, {@code SEVERE}). */
  String level() default "WARNING";

  /** Text the formatted message contains; empty matches any message. */
  String contains() default "";
}
