package dev.rollback.core.decision;

import java.util.List;
import java.util.Optional;

/**
 * One rule of a {@link DecisionPolicy}. Rules are asked in order; the first that decides wins. A
 * rule may add a note (a sentence) to the rationale of whichever rule decides, for facts that
 * matter but do not decide.
 *
 * @since 0.1.0
 */
public interface DecisionRule {

  /** @return the rule's name, recorded with the decision */
  String name();

  /**
   * @param assessment the facts
   * @param notes sentences to put before the deciding rule's rationale
   * @return a decision, or empty to let the next rule decide
   */
  Optional<Decision> evaluate(Assessment assessment, List<String> notes);
}
