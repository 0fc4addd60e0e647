import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top items of a flight recording's execution samples, for the notes of a benchmark run: methods by own
 * samples (self), and methods of the given packages by samples they are on the stack of (total).
 * <p>
 * {@code java src/bench/jfr/JfrTop.java FILE [THREAD-REGEX] [TOP] [PACKAGE-PREFIX...]}: only the samples of
 * threads whose name matches THREAD-REGEX (found in it) (default: every thread); TOP lines each (default 25); total for
 * methods whose class starts with a PACKAGE-PREFIX (default {@code io.dtm.}).
 */
public final class JfrTop {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java JfrTop.java FILE [THREAD-REGEX] [TOP] [PACKAGE-PREFIX...]");
            System.exit(2);
        }
        String thread = args.length > 1 ? args[1] : "";
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        List<String> prefixes = args.length > 3 ? List.of(args).subList(3, args.length) : List.of("io.dtm.");
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(thread);
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            var t = e.getThread("sampledThread");
            String name = t == null ? "" : String.valueOf(t.getJavaName());
            if (!pattern.matcher(name).find()) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String m = name(f);
                if (prefixes.stream().anyMatch(m::startsWith) && seen.add(m)) {
                    total.merge(m, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples (threads matching /%s/)%n", samples, thread);
        print("self", self, samples, top);
        print("total, " + String.join(" ", prefixes), total, samples, top);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("--- " + title);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> en : sorted.subList(0, Math.min(top, sorted.size()))) {
            System.out.printf(Locale.ROOT, "%6.1f %%  %s%n", 100.0 * en.getValue() / samples, en.getKey());
        }
    }
}
