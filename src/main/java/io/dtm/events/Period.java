package io.dtm.events;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Observation periods: {@code YYYY}, {@code YYYY-Qn}, {@code YYYY-MM}, and (policy events) a date {@code YYYY-MM-DD}.
 * The one place periods are read: their form, their year, the day they end, and the forms publishers write them in.
 */
public final class Period {

    private static final Pattern PUBLISHED_YEAR = Pattern.compile("(\\d{4})");
    private static final Pattern PUBLISHED_QUARTER = Pattern.compile("(\\d{4})-?Q([1-4])");
    private static final Pattern PUBLISHED_MONTH = Pattern.compile("(\\d{4})-M?(0[1-9]|1[0-2])");

    private Period() {
    }

    /** Whether {@code text} is a year, quarter or month period. */
    public static boolean isValid(String text) {
        return text != null && validLength(text) > 0;
    }

    /** Whether {@code text} is a year period {@code YYYY}. */
    public static boolean isYear(String text) {
        return text != null && text.length() == 4 && validLength(text) == 4;
    }

    /**
     * The year of a period or date: its first four digits.
     *
     * @throws IllegalArgumentException when it does not start with four ASCII digits
     */
    public static int year(String periodOrDate) {
        int year = periodOrDate == null || periodOrDate.length() < 4 ? -1 : digits(periodOrDate, 0, 4);
        if (year < 0) {
            throw new IllegalArgumentException("not a period or date: " + periodOrDate);
        }
        return year;
    }

    /**
     * The day {@code period} ends: 31 December of a year, the last day of a quarter's third month or of a month;
     * empty for anything else.
     */
    public static Optional<LocalDate> lastDay(String period) {
        if (!isValid(period)) {
            return Optional.empty();
        }
        int year = year(period);
        if (period.length() == 4) {
            return Optional.of(LocalDate.of(year, 12, 31));
        }
        int month = period.charAt(5) == 'Q' ? (period.charAt(6) - '0') * 3 : digits(period, 5, 7);
        return Optional.of(YearMonth.of(year, month).atEndOfMonth());
    }

    /** The period after {@code period}, of the same kind ({@code 2024} → {@code 2025}, {@code 2024-Q4} →
     * {@code 2025-Q1}, {@code 2024-12} → {@code 2025-01}); empty for anything else. */
    public static Optional<String> next(String period) {
        return lastDay(period).map(end -> end.plusDays(1)).map(d -> switch (period.length()) {
            case 4 -> String.format("%04d", d.getYear());
            default -> period.charAt(5) == 'Q' ? String.format("%04d-Q%d", d.getYear(), (d.getMonthValue() - 1) / 3 + 1)
                    : String.format("%04d-%02d", d.getYear(), d.getMonthValue());
        });
    }

    /**
     * A period as the events write it, from the forms publishers use ({@code 2024}, {@code 2024-Q1} or
     * {@code 2024Q1}, {@code 2024-03} or {@code 2024-M03}; blanks around it ignored); empty for anything else.
     */
    public static Optional<String> fromPublished(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = PUBLISHED_YEAR.matcher(t);
        if (m.matches()) {
            return Optional.of(t);
        }
        m = PUBLISHED_QUARTER.matcher(t);
        if (m.matches()) {
            return Optional.of(m.group(1) + "-Q" + m.group(2));
        }
        m = PUBLISHED_MONTH.matcher(t);
        if (m.matches()) {
            return Optional.of(m.group(1) + "-" + m.group(2));
        }
        return Optional.empty();
    }

    /** Whether {@code text} is an ISO date {@code YYYY-MM-DD} that exists in the calendar. */
    public static boolean isDate(String text) {
        if (text == null || text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return false;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (year < 0 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= YearMonth.of(year, month).lengthOfMonth();
    }

    /** The decimal number in {@code text[from, to)}; -1 when a character there is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The same period shifted by {@code years} (same quarter or month); empty for an unknown format or a year
     * outside 0000–9999. */
    public static Optional<String> shiftYears(String period, int years) {
        if (period == null || validLength(period) == 0) {
            return Optional.empty();
        }
        return inRange(year(period) + years, period.substring(4));
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
