package dev.rollback.db.internal;

import dev.rollback.db.MigrationChange;
import dev.rollback.db.MigrationDiff;
import dev.rollback.db.MigrationRisk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * Flyway as the rollback uses it: configured for one tag's migrations (in memory), reading the
 * history through {@code info()}, and working out the diff between two versions.
 */
public final class FlywayHistory {
  private final FlywayJdbcEndpoint endpoint;
  private final @Nullable String schema;
  private final String table;

  /**
   * @param endpoint the database
   * @param schema the schema of the history table, or null for the connection's default
   * @param table the history table
   */
  public FlywayHistory(FlywayJdbcEndpoint endpoint, @Nullable String schema, String table) {
    this.endpoint = endpoint;
    this.schema = schema;
    this.table = table;
  }

  /**
   * @param scripts the migrations Flyway should resolve (a tag's), or null for none
   * @param ignorePendingRepeatables whether validate should let a repeatable whose script differs pass
   * @return a Flyway for this database and these migrations
   */
  public Flyway flyway(@Nullable FlywayTagScripts scripts, boolean ignorePendingRepeatables) {
    FluentConfiguration c = Flyway.configure(FlywayHistory.class.getClassLoader())
        .table(table)
        .cleanDisabled(true)
        .javaMigrationClassProvider(InMemoryFlywayResources.noJavaMigrations())
        .resourceProvider(scripts == null ? InMemoryFlywayResources.empty() : InMemoryFlywayResources.of(scripts));
    if (ignorePendingRepeatables) {
      c = c.ignoreMigrationPatterns("*:future", "repeatable:pending");
    }
    if (schema != null) {
      c = c.schemas(schema).defaultSchema(schema);
    }
    return endpoint.configure(c).load();
  }

  /**
   * Works out the migrations applied that the target does not ship.
   *
   * @param from the running version's scripts (for the SQL to classify and the undo scripts)
   * @param to the target's scripts
   * @return the diff, oldest applied first
   */
  public MigrationDiff diff(FlywayTagScripts from, FlywayTagScripts to) {
    MigrationInfo[] applied = flyway(to, false).info().applied();
    List<MigrationInfo> rows = new ArrayList<>(Arrays.asList(applied));
    rows.sort(Comparator.comparing(i -> i.getInstalledRank() == null ? Integer.MAX_VALUE : i.getInstalledRank()));
    List<MigrationChange> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, MigrationInfo> latestRepeatable = new LinkedHashMap<>();
    MigrationVersion highest = null;
    for (MigrationInfo i : rows) {
      if (i.getType().isSynthetic() || i.getType().isBaseline() || i.getType().isUndo()) {
        continue;
      }
      MigrationState state = i.getState();
      if (state.isFailed()) {
        notes.add(i.getScript() + " is recorded as FAILED in the history table (" + state + "): run flyway repair before anything else");
        continue;
      }
      MigrationVersion v = i.getVersion();
      if (v == null) {
        latestRepeatable.remove(i.getDescription());
        latestRepeatable.put(i.getDescription(), i);
        continue;
      }
      boolean outOfOrder = highest != null && v.compareTo(highest) < 0;
      highest = highest == null || v.compareTo(highest) > 0 ? v : highest;
      if (to.ships(v)) {
        if (i.getResolvedChecksum() != null && !i.isChecksumMatching()) {
          notes.add(i.getScript() + " was applied with checksum " + i.getAppliedChecksum() + " but " + to.tag() + " ships checksum "
              + i.getResolvedChecksum() + ": Flyway validate will fail until flyway repair realigns it");
        }
        continue;
      }
      changes.add(change(i, v, outOfOrder, from));
    }
    for (MigrationInfo i : latestRepeatable.values()) {
      if (i.getState() != MigrationState.SUCCESS) {
        changes.add(change(i, null, false, from));
      }
    }
    changes.sort(Comparator.comparingInt(MigrationChange::installedRank));
    MigrationVersion newest = to.newest();
    return new MigrationDiff(from.tag(), to.tag(), newest == null ? null : newest.getVersion(), changes, notes);
  }

  private static MigrationChange change(MigrationInfo i, @Nullable MigrationVersion v, boolean outOfOrder, FlywayTagScripts from) {
    String type = i.getType().name();
    MigrationRisk risk;
    List<String> reasons = new ArrayList<>();
    if (!type.equals("SQL")) {
      risk = MigrationRisk.UNKNOWN;
      reasons.add("UNKNOWN: a " + type + (type.contains("JDBC") ? " (Java)" : "") + " migration: its effect cannot be read from SQL");
    } else {
      FlywayTagScripts.Script s = from.byName(i.getScript()).orElse(null);
      if (s == null) {
        risk = MigrationRisk.UNKNOWN;
        reasons.add("UNKNOWN: " + i.getScript() + " is not in " + from.folder() + " at " + from.tag() + ", so its SQL cannot be read");
      } else {
        SqlRiskClassifier.Classification c = SqlRiskClassifier.classify(s.content());
        risk = c.risk();
        reasons.addAll(c.reasons());
      }
    }
    String undo = v == null ? null : from.undo(v).map(FlywayTagScripts.Script::path).orElse(null);
    if (v == null && i.getState() == MigrationState.OUTDATED) {
      reasons.add("the target ships a different version of this repeatable script");
    } else if (v == null) {
      reasons.add("the target does not ship this repeatable script");
    }
    return new MigrationChange(v == null ? null : v.getVersion(), i.getDescription(), i.getScript(), type,
        i.getInstalledRank() == null ? 0 : i.getInstalledRank(), i.getInstalledOn() == null ? null : i.getInstalledOn().toInstant(),
        v == null, outOfOrder, risk, reasons, undo);
  }
}
