package io.dtm.imports;

import java.time.LocalDate;
import java.util.List;

/**
 * What an import read, figure by figure: {@code read = published + retracted + missing + skipped + rejected}.
 *
 * @param published figures that became an event
 * @param retracted figures that became a retraction (SDMX {@code D})
 * @param missing   figures the publisher marks missing ({@code ..}, empty, {@code NaN}, {@code #N/A}, null)
 * @param skipped   figures and rows no mapping covers (another code, an aggregate the mapping does not name, …)
 * @param rejected  rows that could not be read
 * @param rejects   the first {@value Importer#MAX_REJECTS} rejects, with line, raw text and reason
 * @param total     the rows of the whole answer where the publisher says (API paging), else -1
 */
public record ImportReport(String dataset, LocalDate vintage, long read, long published, long retracted,
        long missing, long skipped, long rejected, List<Reject> rejects, int page, int pages, long total) {
}
