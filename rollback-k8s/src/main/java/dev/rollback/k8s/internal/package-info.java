/**
 * Implementation of the Kubernetes module; not part of the public API and free to change between
 * releases.
 */
@NullMarked
package dev.rollback.k8s.internal;

import org.jspecify.annotations.NullMarked;
