package io.purifier.bench;

/**
 * The sections of {@code docs/benchmarks.md} that benchmarks write, between {@code <!-- bench:NAME:begin -->} and
 * {@code <!-- bench:NAME:end -->}, so that the text around them stays as people wrote it.
 */
public final class MarkedSections {

    private MarkedSections() {
    }

    /** {@code document} with the section {@code name} replaced by {@code content} (appended when absent). */
    public static String replace(String document, String name, String content) {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        int b = document.indexOf(begin);
        int e = document.indexOf(end);
        String section = begin + "\n" + content + (content.endsWith("\n") ? "" : "\n") + end;
        if (b < 0 || e < b) {
            return document + (document.endsWith("\n") ? "\n" : "\n\n") + section + "\n";
        }
        return document.substring(0, b) + section + document.substring(e + end.length());
    }
}
