/**
 * Traditional hosts: releases in folders behind a {@code current} symlink, service restarts, config
 * files restored from the target tag, and rolling over a host list by SSH.
 */
@NullMarked
package dev.rollback.host;

import org.jspecify.annotations.NullMarked;
