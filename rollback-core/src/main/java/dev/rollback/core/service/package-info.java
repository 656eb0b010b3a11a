/**
 * The service SPI: a {@link dev.rollback.core.service.ServiceControl} restarts the service a
 * rollback changed (a systemd unit, a command of the user's choice, a supervised process) and waits
 * until it is ready again. Implementations live in the platform modules (rollback-host).
 */
@NullMarked
package dev.rollback.core.service;

import org.jspecify.annotations.NullMarked;
