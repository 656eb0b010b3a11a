/** Test support for the Kubernetes module's tests. */
@NullMarked
package dev.rollback.k8s.testing;

import org.jspecify.annotations.NullMarked;
