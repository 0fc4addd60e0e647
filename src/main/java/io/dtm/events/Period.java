package io.dtm.events;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Observation periods: {@code YYYY}, {@code YYYY-Qn}, {@code YYYY-MM}, and (policy events) a date {@code YYYY-MM-DD}. */
public final class Period {

    private static final Pattern YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(0[1-9]|1[0-2])");

    private Period() {
    }

    /** Whether {@code text} is a year, quarter or month period. */
    public static boolean isValid(String text) {
        return text != null && (YEAR.matcher(text).matches() || QUARTER.matcher(text).matches()
                || MONTH.matcher(text).matches());
    }

    /** Whether {@code text} is an ISO date {@code YYYY-MM-DD} that exists in the calendar. */
    public static boolean isDate(String text) {
        if (text == null || !text.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return false;
        }
        try {
            LocalDate.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The same period shifted by {@code years} (same quarter or month); empty for an unknown format or a year
     * outside 0000–9999. */
    public static Optional<String> shiftYears(String period, int years) {
        Matcher m = YEAR.matcher(period);
        if (m.matches()) {
            return inRange(Integer.parseInt(m.group(1)) + years, "");
        }
        m = QUARTER.matcher(period);
        if (m.matches()) {
            return inRange(Integer.parseInt(m.group(1)) + years, "-Q" + m.group(2));
        }
        m = MONTH.matcher(period);
        if (m.matches()) {
            return inRange(Integer.parseInt(m.group(1)) + years, "-" + m.group(2));
        }
        return Optional.empty();
    }

    private static String year(int y) {
        String digits = Integer.toString(y);
        return "0000".substring(digits.length()) + digits;
    }

    private static Optional<String> inRange(int year, String rest) {
        return year < 0 || year > 9999 ? Optional.empty() : Optional.of(year(year) + rest);
    }
}
