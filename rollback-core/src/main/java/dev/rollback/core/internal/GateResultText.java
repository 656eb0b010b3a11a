package dev.rollback.core.internal;

/** Numbers as short text for gate reasons and facts. */
final class GateResultText {
  private GateResultText() {}

  static String number(double v) {
    if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
