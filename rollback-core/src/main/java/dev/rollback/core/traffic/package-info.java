/**
 * The traffic SPI: {@link dev.rollback.core.traffic.TrafficRouter} drains, switches and shifts
 * weights between backends; platform modules implement it (load balancers, Kubernetes Services,
 * ingress canaries, Gateway API routes).
 */
@NullMarked
package dev.rollback.core.traffic;

import org.jspecify.annotations.NullMarked;
