package dev.rollback.core.monitor;

/**
 * What a {@link MonitorWindow} does after it alerted on a breach. Neither starts another rollback:
 * a watch window only reports and escalates to people (a loop guard, like GitLab's one automatic
 * rollback attempt).
 *
 * @since 0.1.0
 */
public enum BreachPolicy {
  /**
   * The default: alert, go on watching to the end of the window, then end the step {@link
   * dev.rollback.core.StepStatus#DEGRADED} (the run ends {@link dev.rollback.core.RunOutcome#DEGRADED}).
   */
  KEEP_WATCHING,
  /**
   * Alert, then fail the step with a {@link MonitorBreachException}, so that its {@link
   * dev.rollback.core.StepPolicy} decides; give it {@link dev.rollback.core.FailureAction#PAUSE} to
   * ask a human (retry watches again, skip goes on, abort compensates).
   */
  ESCALATE
}
