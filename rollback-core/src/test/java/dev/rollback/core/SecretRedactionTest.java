package dev.rollback.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollback.core.event.RollbackEvent;
import dev.rollback.core.internal.JournalCodec;
import dev.rollback.core.journal.RunJournal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRedactionTest {
  private static final String TOKEN = "xoxb-1234-SUPERSECRET-token";

  @Test
  void aSecretGivenToAStepNeverAppearsInLogsEventsResultOrTheJournalFile(@TempDir Path dir) throws Exception {
    List<RollbackEvent> events = new CopyOnWriteArrayList<>();
    RollbackPlan plan = RollbackPlan.builder("checkout").currentVersion("v2").target("v1")
        .secret("slack", Secret.of(TOKEN))
        .step(Step.builder("notify", Phase.MOBILIZE).execute(ctx -> {
          String token = ctx.secret("slack").reveal();
          // A careless step: logs the token, records it, returns it as a fact and a message.
          ctx.log().info("posting with token {}", token);
          ctx.log().warn("retrying", new IllegalStateException("401 for token " + token));
          ctx.record("posted with " + token, java.util.Map.of("auth", "Bearer " + token));
          ctx.progress("sent using " + token, 1.0);
          return StepResult.succeeded("used " + token).withFact("token", token).withFact("wrapped", ctx.secret("slack"));
        }).build())
        .step(Step.builder("fail", Phase.VALIDATE).execute(ctx -> {
          throw new IllegalStateException("webhook https://hooks.example/" + ctx.secret("slack").reveal() + " returned 500");
        }).compensate(ctx -> StepResult.succeeded()).build(), StepPolicy.custom().onFailure(FailureAction.CONTINUE).build())
        .build();

    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    RollbackResult result;
    try {
      System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
      result = RollbackRunner.builder().journal(RunJournal.directory(dir)).listener(events::add).build().run(plan);
    } finally {
      System.setErr(originalErr);
    }

    String logText = logs.toString(StandardCharsets.UTF_8);
    assertThat(logText).contains("posting with token ****").contains("401 for token ****").doesNotContain(TOKEN);

    ObjectMapper mapper = JournalCodec.MAPPER;
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(mapper.writeValueAsString(e)).doesNotContain(TOKEN));
    assertThat(events.toString()).doesNotContain(TOKEN);
    assertThat(mapper.writeValueAsString(result)).doesNotContain(TOKEN).contains("used ****");
    assertThat(result.warnings().toString()).contains("hooks.example/****").doesNotContain(TOKEN);

    String journalText;
    try (Stream<Path> files = Files.list(dir)) {
      journalText = Files.readString(files.findFirst().orElseThrow());
    }
    assertThat(journalText).contains("posted with ****").contains("Bearer ****").doesNotContain(TOKEN);
  }

  @Test
  void aSecretPrintsRedactedEverywhereItIsRendered() throws Exception {
    Secret s = Secret.of("hunter2");
    assertThat(s.toString()).isEqualTo("****");
    assertThat(String.valueOf(s)).isEqualTo("****");
    assertThat(JournalCodec.MAPPER.writeValueAsString(java.util.Map.of("password", s))).isEqualTo("{\"password\":\"****\"}");
    assertThat(s.reveal()).isEqualTo("hunter2");
  }

  @Test
  void anEmptySecretIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Secret.of(""))
        .isInstanceOf(RollbackException.class)
        .hasMessageContaining("secret value must not be null or empty");
  }
}
