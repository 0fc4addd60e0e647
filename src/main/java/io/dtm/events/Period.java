package io.dtm.events;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Observation periods: {@code YYYY}, {@code YYYY-Qn}, {@code YYYY-MM}, and (policy events) a date {@code YYYY-MM-DD}. */
public final class Period {

    private Period() {
    }

    /** Whether {@code text} is a year, quarter or month period. */
    public static boolean isValid(String text) {
        return text != null && validLength(text) > 0;
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
        if (period == null || validLength(period) == 0) {
            return Optional.empty();
        }
        int year = (period.charAt(0) - '0') * 1000 + (period.charAt(1) - '0') * 100 + (period.charAt(2) - '0') * 10
                + (period.charAt(3) - '0');
        return inRange(year + years, period.substring(4));
    }

    /**
     * The length of {@code text} when it is {@code YYYY}, {@code YYYY-Qn} (n = 1 to 4) or {@code YYYY-MM} (01 to 12)
     * with ASCII digits; 0 otherwise. By hand rather than by regular expression: it runs several times per indicator
     * input.
     */
    private static int validLength(String text) {
        int n = text.length();
        if (n != 4 && n != 7 || !digit(text, 0) || !digit(text, 1) || !digit(text, 2) || !digit(text, 3)) {
            return 0;
        }
        if (n == 4) {
            return n;
        }
        char a = text.charAt(5);
        char b = text.charAt(6);
        boolean ok = text.charAt(4) == '-' && (a == 'Q' ? b >= '1' && b <= '4'
                : a == '0' ? b >= '1' && b <= '9' : a == '1' && b >= '0' && b <= '2');
        return ok ? n : 0;
    }

    private static boolean digit(String text, int i) {
        char c = text.charAt(i);
        return c >= '0' && c <= '9';
    }

    private static String year(int y) {
        String digits = Integer.toString(y);
        return "0000".substring(digits.length()) + digits;
    }

    private static Optional<String> inRange(int year, String rest) {
        return year < 0 || year > 9999 ? Optional.empty() : Optional.of(year(year) + rest);
    }
}
