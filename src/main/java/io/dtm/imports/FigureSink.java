package io.dtm.imports;

import java.time.LocalDate;

/** Where a reader hands what it reads, in file order; a reader keeps no per-row state of its own. */
public interface FigureSink {

    /** The publication's vintage, when the file carries one; called before the first figure. */
    default void vintage(LocalDate vintage) {
    }

    /** Paging of an API answer (World Bank API v2): this page, the number of pages and the rows in all pages. */
    default void page(int page, int pages, int perPage, long total) {
    }

    /** A figure (its value {@code null} when missing). */
    void figure(Figure figure);

    /** A row that the reader could not read; the rows around it go on. */
    void reject(Reject reject);

    /** A row the reader itself leaves out (e.g. a GPU cluster outside Epoch's standard analysis). */
    default void skip(long line) {
    }
}
