/**
 * Assess and decide: the facts gathered before anything is touched ({@link
 * dev.rollback.core.decision.Assessment}), the ordered rules that turn them into ROLLBACK,
 * FORWARD_FIX or NO_ACTION with a written rationale ({@link dev.rollback.core.decision.DecisionPolicy}),
 * and the incident's severity.
 */
@NullMarked
package dev.rollback.core.decision;

import org.jspecify.annotations.NullMarked;
