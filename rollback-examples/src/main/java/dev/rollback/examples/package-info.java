/** Runnable runbooks: the embedded demo and examples that combine the modules. */
@NullMarked
package dev.rollback.examples;

import org.jspecify.annotations.NullMarked;
