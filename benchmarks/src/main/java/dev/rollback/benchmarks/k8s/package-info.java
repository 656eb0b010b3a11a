/**
 * Kubernetes rollbacks at scale against fabric8's mock server, and one undo against the real
 * {@code kubectl}: a {@code main}-method harness, not JMH (one side is a process).
 */
@NullMarked
package dev.rollback.benchmarks.k8s;

import org.jspecify.annotations.NullMarked;
