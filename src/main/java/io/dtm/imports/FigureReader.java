package io.dtm.imports;

import java.io.IOException;
import java.io.InputStream;

/** A streaming reader of one publisher format: reads the stream once, row by row, in constant memory. */
public interface FigureReader {

    /**
     * Reads {@code in} to its end (it does not close it), handing each figure, reject and vintage to {@code sink}.
     *
     * @throws ImportException when the stream is not of the format at all
     */
    void read(InputStream in, FigureSink sink) throws IOException;
}
