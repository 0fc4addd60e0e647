package io.dtm.model;

import io.dtm.events.ModelSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's estimates as of each release: for every vintage V among the panel's rows (a row stands at the latest
 * vintage of the observations it is read from), the snapshot of the panel of the rows that stand at V or before,
 * estimated as the live model estimates its panel (both estimates and the stability tests). Each is a function of
 * the rows held and nothing else: not of the order the rows came in, nor of when it is computed. The change of each
 * coefficient is against the release before, and the trigger names the release: its vintage and the latest
 * observation of it (by source and id), with that row's entity and year. Pure: no Kafka.
 *
 * <p>The rows are the panel as it stands: a row revised at a later release stands at that release, so it leaves the
 * panels of the releases before (what those releases published for it is not kept: the observations topic holds
 * the winning vintage only, and a revision that arrives first would make an earlier vintage lose before it is
 * seen). The history of releases is thus that of the data as it is known now, as an indicator's periods are.
 */
final class ReleaseEstimates {

    /** A panel row and the release it stands at ({@code vintage} {@code null}: before every release). */
    record Released(Row row, String vintage, String source, String id) {
    }

    private static final Comparator<Released> BY_ROW = Comparator.comparing((Released r) -> r.row().entity())
            .thenComparingInt(r -> r.row().year());
    private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<Released> BY_EVENT = Comparator.comparing(Released::source, TEXT)
            .thenComparing(Released::id, TEXT);

    private ReleaseEstimates() {
    }

    /**
     * The snapshots as of the latest {@code limit} releases, oldest first.
     *
     * @param now the computation time, stamped on each snapshot ({@code computedAt})
     */
    static List<ModelSnapshot> of(ModelSpec spec, List<Released> rows, int limit, long now) {
        ModelState state = new ModelState(spec, null);
        TreeMap<String, List<Released>> byVintage = new TreeMap<>();
        List<Released> sorted = new ArrayList<>(rows);
        sorted.sort(BY_ROW);
        for (Released r : sorted) {
            if (r.vintage() == null) {
                state.load(r.row());
            } else {
                byVintage.computeIfAbsent(r.vintage(), v -> new ArrayList<>()).add(r);
            }
        }
        int skip = Math.max(0, byVintage.size() - limit);
        List<ModelSnapshot> out = new ArrayList<>();
        for (Map.Entry<String, List<Released>> release : byVintage.entrySet()) {
            release.getValue().forEach(r -> state.load(r.row()));
            if (skip-- > 0) {
                continue;
            }
            state.rebuildRolling();
            state.stability();
            Released latest = release.getValue().stream().max(BY_EVENT.thenComparing(BY_ROW)).orElseThrow();
            out.add(state.snapshot(new ModelSnapshot.Trigger(latest.source(), latest.id(), release.getKey(),
                    latest.row().entity(), latest.row().year()), now));
        }
        return out;
    }
}
