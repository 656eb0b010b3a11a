/**
 * What a run tells its listeners while it goes: immutable event records and the {@link
 * dev.rollback.core.event.RollbackListener} that receives them. A UI, a chat bot or a progress bar
 * subscribes here; {@link dev.rollback.core.event.ConsoleProgress} prints them for people.
 */
@NullMarked
package dev.rollback.core.event;

import org.jspecify.annotations.NullMarked;
