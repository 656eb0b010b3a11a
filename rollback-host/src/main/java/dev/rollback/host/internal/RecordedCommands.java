package dev.rollback.host.internal;

import dev.rollback.core.StepContext;
import dev.rollback.core.command.CommandLine;
import dev.rollback.core.command.CommandResult;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a command through core's {@link CommandLine} and records it, output truncated, in the timeline. */
public final class RecordedCommands {
  /** How much of a command's output goes into the timeline. */
  public static final int RECORDED_OUTPUT_CHARS = 2_000;

  private RecordedCommands() {}

  /**
   * @param args the argument list
   * @param timeout the command's timeout
   * @param purpose what it is for, e.g. "restart checkout.service"
   * @param ctx the run's context
   * @return how it ended
   * @throws IOException when the program cannot be started
   * @throws InterruptedException when interrupted (the process is killed)
   */
  public static CommandResult run(List<String> args, Duration timeout, String purpose, StepContext ctx) throws IOException, InterruptedException {
    CommandResult r = CommandLine.of(args).timeout(timeout).outputLimit(64 * 1024).run();
    ctx.record(purpose + ": " + r.summary(), facts(r));
    return r;
  }

  /**
   * @param r a result
   * @return the facts recorded for it
   */
  public static Map<String, String> facts(CommandResult r) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("command", String.join(" ", r.command()));
    f.put("exitCode", String.valueOf(r.exitCode()));
    f.put("timedOut", String.valueOf(r.timedOut()));
    f.put("tookMs", String.valueOf(r.took().toMillis()));
    String out = r.output();
    boolean cut = r.truncated() || out.length() > RECORDED_OUTPUT_CHARS;
    if (out.length() > RECORDED_OUTPUT_CHARS) {
      out = out.substring(out.length() - RECORDED_OUTPUT_CHARS);
    }
    f.put("output", out);
    f.put("outputTruncated", String.valueOf(cut));
    return f;
  }
}
